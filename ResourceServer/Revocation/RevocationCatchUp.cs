using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Platform.ResourceServer.Storage;

namespace Platform.ResourceServer.Revocation;

/// <summary>
/// Brings a starting instance up to date. It runs after the bus has started, so the per-instance queue is already
/// bound and nothing published from now on is missed; then it loads what the service persisted and asks Identity for
/// every active revocation. Only then does the service report ready.
/// </summary>
/// <remarks>
/// When Identity does not answer the first <see cref="ResourceServerOptions.CatchUpAttempts"/> requests, the instance
/// becomes ready from the table alone but marked stale (Degraded readiness, <c>platform.revocation.stale</c> = 1), and
/// reloads the table and asks again every <see cref="ResourceServerOptions.CatchUpRetryInterval"/> until Identity
/// answers. A broker reconnect marks it stale again and runs the same catch-up.
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

    private async Task<bool> TryAskIdentityAsync(CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var client = scope.ServiceProvider.GetRequiredService<IRequestClient<GetActiveRevocations>>();
            var response = await client.GetResponse<ActiveRevocations>(
                new GetActiveRevocations(Environment.MachineName), stoppingToken, RequestTimeout.After(ms: (int)options.Value.CatchUpTimeout.TotalMilliseconds));
            var answer = response.Message;
            if (!bounds.AdmitsAnswer(answer))
                return false;
            foreach (var user in answer.Users.Where(user => bounds.Admits(user, RevocationSources.CatchUp)))
                denyList.DeactivateUser(user.UserId, user.DeactivatedAt);
            foreach (var session in answer.Sessions.Where(session => bounds.Admits(session, RevocationSources.CatchUp)))
                denyList.RevokeSession(session.SessionId, session.RevokedAt);
            LogMerged(logger, answer.Users.Count, answer.Sessions.Count);
            return true;
        }
        catch (RequestTimeoutException)
        {
            LogIdentityTimeout(logger, options.Value.CatchUpTimeout);
            return false;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogIdentityFailed(logger, exception);
            return false;
        }
    }

    [LoggerMessage(LogLevel.Information, "Loaded {Count} persisted revocations into the deny-list.")]
    private static partial void LogLoadedPersisted(ILogger logger, int count);

    [LoggerMessage(LogLevel.Warning, "Persisted revocations are not readable yet; retrying.")]
    private static partial void LogPersistedUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(LogLevel.Information, "Merged Identity's active revocations: {Users} users, {Sessions} sessions.")]
    private static partial void LogMerged(ILogger logger, int users, int sessions);

    [LoggerMessage(LogLevel.Warning, "Identity did not answer GetActiveRevocations within {Timeout}.")]
    private static partial void LogIdentityTimeout(ILogger logger, TimeSpan timeout);

    [LoggerMessage(LogLevel.Warning, "Asking Identity for active revocations failed.")]
    private static partial void LogIdentityFailed(ILogger logger, Exception exception);

    [LoggerMessage(LogLevel.Warning,
        "Identity did not answer after {Attempts} attempts: starting from persisted revocations, marked stale, and retrying in the background.")]
    private static partial void LogStartingFromPersisted(ILogger logger, int attempts);

    [LoggerMessage(LogLevel.Warning, "The instance queue is consuming again after a broker reconnect: revocations are stale until the catch-up answers.")]
    private static partial void LogReconnected(ILogger logger);
}
