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
internal sealed partial class RevocationCatchUp(
    IServiceScopeFactory scopes,
    DenyList denyList,
    DenyListReadiness readiness,
    IOptions<ResourceServerOptions> options,
    TimeProvider time,
    ILogger<RevocationCatchUp> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await LoadPersistedAsync(stoppingToken);

        var settings = options.Value;
        for (var attempt = 1; attempt <= settings.CatchUpAttempts; attempt++)
        {
            if (await TryAskIdentityAsync(stoppingToken))
            {
                readiness.MarkLoaded();
                return;
            }
        }

        LogStartingFromPersisted(logger, settings.CatchUpAttempts);
        readiness.MarkLoaded();
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(settings.CatchUpRetryInterval, time, stoppingToken);
            if (await TryAskIdentityAsync(stoppingToken))
                return;
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
            foreach (var user in response.Message.Users)
                denyList.DeactivateUser(user.UserId, user.DeactivatedAt);
            foreach (var session in response.Message.Sessions)
                denyList.RevokeSession(session.SessionId, session.RevokedAt);
            LogMerged(logger, response.Message.Users.Count, response.Message.Sessions.Count);
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
        "Identity did not answer after {Attempts} attempts: starting from persisted revocations and retrying in the background.")]
    private static partial void LogStartingFromPersisted(ILogger logger, int attempts);
}
