namespace Platform.Identity.RateLimits;

/// <summary>
/// Deletes closed rate-limit windows every few minutes, so the table holds about one window per active client. Every
/// instance runs it; deleting the same rows twice is harmless.
/// </summary>
internal sealed partial class RateLimitPurge(FixedWindowCounter counter, TimeProvider time, ILogger<RateLimitPurge> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                await counter.PurgeAsync(time.GetUtcNow(), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                // Closed windows only take room; the next round deletes them.
                LogPurgeFailed(logger, exception);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(LogLevel.Warning, "Deleting closed rate-limit windows failed")]
    private static partial void LogPurgeFailed(ILogger logger, Exception exception);
}
