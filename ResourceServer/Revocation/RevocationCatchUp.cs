using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Platform.ResourceServer.Storage;

namespace Platform.ResourceServer.Revocation;

/// <summary>
/// Brings a starting instance up to date. It runs after the bus has started, so the per-instance queue is already
/// bound and nothing published from now on is missed; then it loads what the service persisted and pages through
/// Identity's active revocations (<see cref="GetActiveRevocations"/>, one request per page, each answer under 1 MiB).
/// Only once the last page is merged does the service report ready.
/// </summary>
/// <remarks>
/// <para>
/// Why a paged snapshot over request and response rather than a RabbitMQ stream replayed from now − (max token
/// lifetime + skew): the snapshot is the current state, one entry per revoked user or session, read from indexes
/// in pages of thousands, so a million revocations arrive in about fifty messages; a stream holds every event of
/// the window (a user deactivated twice, a session revoked then its user deactivated) and is replayed one event at a
/// time through a consumer, far slower and with more memory in flight. A stream would also need its own retention
/// tuned to the token lifetime, a stream queue per service with its own broker permissions, and offsets tracked per
/// instance, while the snapshot reuses the request exchange and grants that exist. Identity keeps no state between
/// pages: the cursor is a keyset position (kind, time, id), so any Identity instance answers any page.
/// </para>
/// <para>
/// No gap with live events: the instance queue is bound before the first page is asked for, so a revocation made
/// while paging is both queued for this instance and, sorting after everything already sent, in a later page. The
/// overlap is harmless: the deny-list only ever adds or moves an entry later, so an entry applied twice, or a page
/// delivered twice or out of order, changes nothing.
/// </para>
/// <para>
/// A page that times out, fails or is refused abandons the pass; the next attempt starts again from the first page
/// (what was merged stays merged). When the first <see cref="ResourceServerOptions.CatchUpAttempts"/> passes fail,
/// the instance becomes ready from the table alone but marked stale (Degraded readiness,
/// <c>platform.revocation.stale</c> = 1), and reloads the table and pages again every
/// <see cref="ResourceServerOptions.CatchUpRetryInterval"/> until a pass completes: never a plain "ready" half-loaded.
/// A broker reconnect marks it stale again and runs the same catch-up.
/// </para>
/// </remarks>
internal sealed partial class RevocationCatchUp(
    IServiceScopeFactory scopes,
    DenyList denyList,
    DenyListReadiness readiness,
    RevocationEventBounds bounds,
    BusReconnects reconnects,
    IOptions<ResourceServerOptions> options,
    TimeProvider time,
    ILogger<RevocationCatchUp> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await LoadPersistedAsync(stoppingToken);

        var settings = options.Value;
        var caughtUp = false;
        for (var attempt = 1; attempt <= settings.CatchUpAttempts && !caughtUp; attempt++)
            caughtUp = await TryAskIdentityAsync(stoppingToken);
        if (!caughtUp)
            LogStartingFromPersisted(logger, settings.CatchUpAttempts);
        readiness.MarkLoaded(caughtUp);

        while (!stoppingToken.IsCancellationRequested)
        {
            if (readiness.IsCaughtUp)
            {
                await reconnects.WaitAsync(stoppingToken);
                LogReconnected(logger);
                readiness.MarkStale();
            }
            else
            {
                await Task.Delay(settings.CatchUpRetryInterval, time, stoppingToken);
            }

            // The table too: the store queue may have taken events this instance's queue lost.
            await LoadPersistedAsync(stoppingToken);
            if (await TryAskIdentityAsync(stoppingToken))
                readiness.MarkCaughtUp();
        }
    }

    private async Task LoadPersistedAsync(CancellationToken stoppingToken)
    {
        while (true)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var count = await scope.ServiceProvider.GetRequiredService<RevocationStore>().LoadIntoAsync(denyList, stoppingToken);
                LogLoadedPersisted(logger, count);
                return;
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogPersistedUnavailable(logger, exception);
                await Task.Delay(TimeSpan.FromSeconds(2), time, stoppingToken);
            }
        }
    }

    /// <returns>Whether every page, up to the last, was merged.</returns>
    private async Task<bool> TryAskIdentityAsync(CancellationToken stoppingToken)
    {
        RevocationCursor? after = null;
        long merged = 0;
        var pages = 0;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var client = scope.ServiceProvider.GetRequiredService<IRequestClient<GetActiveRevocations>>();
            var timeout = RequestTimeout.After(ms: (int)options.Value.CatchUpTimeout.TotalMilliseconds);
            while (true)
            {
                var response = await client.GetResponse<ActiveRevocations>(
                    new GetActiveRevocations(Environment.MachineName, after), stoppingToken, timeout);
                var page = response.Message;
                if (!bounds.AdmitsPage(page, after, merged))
                    return false;
                merged += CatchUpPage.Merge(page, denyList, bounds);
                pages++;
                if (page.Next is null)
                {
                    LogMerged(logger, merged, pages, page.AsOf);
                    return true;
                }

                after = page.Next;
            }
        }
        catch (RequestTimeoutException)
        {
            LogIdentityTimeout(logger, options.Value.CatchUpTimeout, pages);
            return false;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogIdentityFailed(logger, exception, pages);
            return false;
        }
    }

    [LoggerMessage(LogLevel.Information, "Loaded {Count} persisted revocations into the deny-list.")]
    private static partial void LogLoadedPersisted(ILogger logger, int count);

    [LoggerMessage(LogLevel.Warning, "Persisted revocations are not readable yet; retrying.")]
    private static partial void LogPersistedUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(LogLevel.Information, "Merged Identity's {Entries} active revocations from {Pages} pages, as of {AsOf}.")]
    private static partial void LogMerged(ILogger logger, long entries, int pages, DateTimeOffset asOf);

    [LoggerMessage(LogLevel.Warning, "Identity did not answer a GetActiveRevocations page within {Timeout} after {Pages} pages; the catch-up starts again.")]
    private static partial void LogIdentityTimeout(ILogger logger, TimeSpan timeout, int pages);

    [LoggerMessage(LogLevel.Warning, "Asking Identity for active revocations failed after {Pages} pages; the catch-up starts again.")]
    private static partial void LogIdentityFailed(ILogger logger, Exception exception, int pages);

    [LoggerMessage(LogLevel.Warning,
        "Identity did not answer after {Attempts} attempts: starting from persisted revocations, marked stale, and retrying in the background.")]
    private static partial void LogStartingFromPersisted(ILogger logger, int attempts);

    [LoggerMessage(LogLevel.Warning, "The instance queue is consuming again after a broker reconnect: revocations are stale until the catch-up answers.")]
    private static partial void LogReconnected(ILogger logger);
}
