using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Platform.ResourceServer.Receipts;

/// <summary>
/// Sends the buffered receipts off the consumers' path, all that are waiting (up to <see cref="BatchSize"/>) in one
/// message. A message the broker did not confirm is tried again a few times with a growing pause, then dropped: a
/// receipt is evidence for operators, never a condition of the revocation, which the deny-list already enforces.
/// </summary>
internal sealed partial class ReceiptPublisher(
    ReceiptBuffer buffer, IBus bus, IOptions<ResourceServerOptions> options, ILogger<ReceiptPublisher> logger) : BackgroundService
{
    internal const int BatchSize = 500;
    private const int MaxAttempts = 5;
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.DeliveryReceipts)
            return;
        var batch = new List<RevocationApplied>(BatchSize);
        var attempts = 0;
        try
        {
            while (batch.Count > 0 || await buffer.Reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < BatchSize && buffer.Reader.TryRead(out var receipt))
                    batch.Add(receipt);
                if (await TryPublishAsync(batch, stoppingToken))
                {
                    attempts = 0;
                    batch.Clear();
                    continue;
                }

                if (++attempts >= MaxAttempts)
                {
                    buffer.CountDropped(batch.Count);
                    LogDropped(logger, batch.Count, attempts, buffer.Dropped);
                    batch.Clear();
                    attempts = 0;
                }

                await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, attempts))), stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task<bool> TryPublishAsync(List<RevocationApplied> batch, CancellationToken stoppingToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            timeout.CancelAfter(PublishTimeout);
            await bus.Publish(new RevocationReceiptsSent([.. batch]), timeout.Token);
            return true;
        }
        catch (Exception exception) when (exception is not OutOfMemoryException && !stoppingToken.IsCancellationRequested)
        {
            LogPublishFailed(logger, batch.Count, exception.GetType().Name);
            return false;
        }
    }

    [LoggerMessage(LogLevel.Warning, "Publishing {Count} delivery receipts failed ({Error}); they are tried again shortly.")]
    private static partial void LogPublishFailed(ILogger logger, int count, string error);

    [LoggerMessage(LogLevel.Error,
        "Dropped {Count} delivery receipts after {Attempts} failed publishes ({Total} dropped since the start); the revocations themselves are applied.")]
    private static partial void LogDropped(ILogger logger, int count, int attempts, long total);
}
