namespace Platform.Identity.Receipts;

/// <summary>
/// Deletes receipts older than the retention and instances not heard from for as long, every few minutes. Every
/// instance runs it; deleting the same rows twice is harmless.
/// </summary>
internal sealed partial class ReceiptPurge(
    IServiceScopeFactory scopes, IOptions<ReceiptOptions> options, TimeProvider time, ILogger<ReceiptPurge> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                await PurgeAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                // Old rows only take room; the next round deletes them.
                LogPurgeFailed(logger, exception);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    internal async Task PurgeAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - options.Value.Retention;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
        await db.RevocationReceipts.Where(r => r.ReceivedAt < cutoff).ExecuteDeleteAsync(cancellationToken);
        await db.ApiInstances.Where(i => i.LastSeenAt < cutoff).ExecuteDeleteAsync(cancellationToken);
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

    [LoggerMessage(LogLevel.Warning, "Deleting old delivery receipts and gone instances failed")]
    private static partial void LogPurgeFailed(ILogger logger, Exception exception);
}
