namespace Platform.Identity.Outbox;

/// <summary>
/// The loop both of Identity's outboxes run (events to the bus, reset mail to SMTP): send a batch; while the far side
/// fails, wait longer each round; once the backlog is drained, delete old settled rows hourly and sleep until a commit
/// wakes the loop or the poll interval passes, in case a wake-up was lost.
/// </summary>
internal abstract partial class BatchDispatcher(OutboxSignal signal, TimeProvider time, ILogger logger) : BackgroundService
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    protected TimeProvider Time { get; } = time;

    /// <summary>The most rows one round claims; a full batch means more may be waiting, so the next round starts at once.</summary>
    protected abstract int BatchSize { get; }

    /// <summary>Claims and sends one batch: how many rows it handled, and whether the far side (broker, mail server) failed.</summary>
    protected abstract Task<(int Handled, bool Failed)> DispatchBatchAsync(CancellationToken cancellationToken);

    /// <summary>How long to wait after <paramref name="failures"/> failed rounds in a row.</summary>
    protected abstract TimeSpan RetryDelay(int failures);

    protected abstract Task DeleteSettledAsync(CancellationToken cancellationToken);

    /// <summary>Runs after every round, failed or not (for example to report the backlog).</summary>
    protected virtual Task AfterBatchAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        var nextCleanup = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var (handled, failed) = await DispatchBatchAsync(stoppingToken);
                await AfterBatchAsync(stoppingToken);
                if (failed)
                {
                    failures++;
                    await Task.Delay(RetryDelay(failures), stoppingToken);
                    continue;
                }

                failures = 0;
                if (handled == BatchSize)
                    continue;
                if (Time.GetUtcNow() >= nextCleanup)
                {
                    await DeleteSettledAsync(stoppingToken);
                    nextCleanup = Time.GetUtcNow().AddHours(1);
                }

                await signal.WaitAsync(PollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                // The database is unreachable or similar: rows stay, the next round retries.
                LogDispatchFailed(logger, GetType().Name, exception);
                await Task.Delay(PollInterval, stoppingToken);
            }
        }
    }

    [LoggerMessage(LogLevel.Warning, "{Dispatcher} round failed")]
    private static partial void LogDispatchFailed(ILogger logger, string dispatcher, Exception exception);
}
