using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Platform.ResourceServer.Storage;

namespace Platform.ResourceServer.Revocation;

/// <summary>Drops revocations no valid token can match any more, in memory and in the table, so both stay bounded.</summary>
internal sealed partial class RevocationPurge(
    IServiceScopeFactory scopes,
    DenyList denyList,
    IOptions<ResourceServerOptions> options,
    TimeProvider time,
    ILogger<RevocationPurge> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PurgeInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            denyList.Purge();
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<RevocationStore>().PurgeExpiredAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogPurgeFailed(logger, exception);
            }
        }
    }

    [LoggerMessage(LogLevel.Warning, "Purging expired persisted revocations failed; the next run tries again.")]
    private static partial void LogPurgeFailed(ILogger logger, Exception exception);
}
