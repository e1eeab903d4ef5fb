using MassTransit;
using Platform.Identity.Diagnostics;

namespace Platform.Identity.Outbox;

/// <summary>
/// Publishes outbox rows over the bus and marks them sent only after the broker confirmed (MassTransit's
/// RabbitMQ publish completes on the publisher confirm). Rows are claimed with FOR UPDATE SKIP LOCKED, so
/// several instances never publish the same row at once; a row published twice (crash before the commit)
/// carries the same MessageId, and consumers are idempotent.
/// </summary>
/// <remarks>
/// Rows go out in the order they were written, a batch published together, except that a row which cannot be
/// published does not hold up the rows behind it: revocations converge whatever their order (latest time, union of
/// sessions). Such a row is skipped
/// with a backoff of its own and, after <see cref="OutboxOptions.MaxAttempts"/> attempts, parked. A row is blamed only
/// when the fault is its own: it cannot be read (unknown type, unreadable payload), or its publish failed while the
/// broker confirmed the next row. When publishing fails with nothing confirmed after it, the broker is the likely
/// cause: the round stops and every row waits, unblamed, for the broker to come back.
/// </remarks>
internal sealed partial class OutboxDispatcher(
    IServiceScopeFactory scopes,
    IBus bus,
    OutboxSignal signal,
    TimeProvider time,
    IdentityMetrics metrics,
    IOptions<IdentityServiceOptions> options,
    ILogger<OutboxDispatcher> logger) : BatchDispatcher(signal, time, logger)
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MaxRowBackoff = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan Retention = TimeSpan.FromDays(7);

    // A bulk deactivation writes one row per user: large batches published together keep ten thousand rows to a
    // few seconds, where one confirm awaited at a time would take minutes.
    protected override int BatchSize => 500;

    protected override TimeSpan RetryDelay(int failures) =>
        TimeSpan.FromMilliseconds(Math.Min(MaxBackoff.TotalMilliseconds, 500 * Math.Pow(2, Math.Min(failures, 10))));

    protected override Task AfterBatchAsync(CancellationToken cancellationToken) => ObserveBacklogAsync(cancellationToken);

    /// <returns>How many rows were claimed, and whether publishing failed in a way that points at the broker.</returns>
    protected override async Task<(int Handled, bool Failed)> DispatchBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = Time.GetUtcNow();
        var rows = await db.OutboxMessages
            .FromSql($"""
                SELECT * FROM "OutboxMessages"
                WHERE "SentAt" IS NULL AND "ParkedAt" IS NULL AND ("NextAttemptAt" IS NULL OR "NextAttemptAt" <= {now})
                ORDER BY "CreatedAt" LIMIT {BatchSize} FOR UPDATE SKIP LOCKED
                """)
            .ToListAsync(cancellationToken);

        // Every readable row is published at once and the confirms awaited together. The outcomes are then read in row
        // order, as they happened when rows went one at a time: a failure with a confirm after it is the row's own,
        // failures with none after them point at the broker.
        var publishes = new List<(OutboxMessage Row, Task<Exception?> Outcome)>(rows.Count);
        foreach (var row in rows)
        {
            try
            {
                publishes.Add((row, PublishAsync(row, OutboxPayload.Read(row), cancellationToken)));
            }
            catch (OutboxPayloadException exception)
            {
                row.Attempts++;
                Blame(row, exception.Message);
            }
        }

        await Task.WhenAll(publishes.Select(p => p.Outcome));
        var sent = new List<Guid>(publishes.Count);
        OutboxMessage? unconfirmed = null; // failed to publish, and nothing confirmed since
        var brokerSuspected = false; // two failures with no confirm between: the broker, not the rows
        foreach (var (row, outcome) in publishes)
        {
            if (outcome.Result is not { } exception)
            {
                sent.Add(row.Id);
                metrics.EventPublished(row.Type);
                if (unconfirmed is not null && !brokerSuspected)
                    Blame(unconfirmed, unconfirmed.LastError!); // the broker works: that failure was the row's own
                unconfirmed = null;
                brokerSuspected = false;
                continue;
            }

            row.Attempts++;
            row.LastError = Truncate($"Publishing failed: {exception.GetType().Name}: {exception.Message}");
            LogPublishFailed(logger, row.Id, row.Type, row.Attempts, row.LastError);
            if (unconfirmed is null)
                unconfirmed = row;
            else
                brokerSuspected = true;
        }

        // One statement for the sent rows; the change tracker writes only the failed ones.
        var sentAt = Time.GetUtcNow();
        if (sent.Count > 0)
            await db.OutboxMessages.Where(m => sent.Contains(m.Id)).ExecuteUpdateAsync(set => set.SetProperty(m => m.SentAt, sentAt), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (rows.Count, unconfirmed is not null);
    }

    /// <returns>Null once the broker confirmed; otherwise why it did not.</returns>
    private async Task<Exception?> PublishAsync(OutboxMessage row, object message, CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(PublishTimeout);
            using (IdentityActivities.StartDispatch(row.Type, row.Id, row.TraceParent))
                await bus.Publish(message, message.GetType(), context => context.MessageId = row.Id, timeout.Token);
            return null;
        }
        catch (Exception exception) when (exception is not OutOfMemoryException && !cancellationToken.IsCancellationRequested)
        {
            return exception;
        }
    }

    /// <summary>A failure (already counted in <see cref="OutboxMessage.Attempts"/>) is the row's own: it waits before its next attempt, or is parked.</summary>
    private void Blame(OutboxMessage row, string error)
    {
        var now = Time.GetUtcNow();
        row.LastError = Truncate(error);
        if (row.Attempts >= options.Value.Outbox.MaxAttempts)
        {
            row.ParkedAt = now;
            LogParked(logger, row.Id, row.Type, row.Attempts, row.LastError);
            return;
        }

        row.NextAttemptAt = now + TimeSpan.FromSeconds(Math.Min(MaxRowBackoff.TotalSeconds, Math.Pow(2, row.Attempts - 1)));
        LogSkipped(logger, row.Id, row.Type, row.Attempts, row.LastError, row.NextAttemptAt.Value);
    }

    private static string Truncate(string error) => error.Length <= OutboxMessage.MaxErrorLength ? error : error[..OutboxMessage.MaxErrorLength];

    private async Task ObserveBacklogAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var unsent = scope.ServiceProvider.GetRequiredService<IdentityDb>().OutboxMessages.Where(m => m.SentAt == null);
        var pending = unsent.Where(m => m.ParkedAt == null);
        var count = await pending.CountAsync(cancellationToken);
        var oldest = count == 0 ? null : await pending.MinAsync(m => (DateTimeOffset?)m.CreatedAt, cancellationToken);
        var parked = await unsent.CountAsync(m => m.ParkedAt != null, cancellationToken);
        metrics.OutboxObserved(count, oldest, parked);
    }

    protected override async Task DeleteSettledAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
        var cutoff = Time.GetUtcNow() - Retention;
        // Only sent rows: a parked row stays until an operator has dealt with it.
        await db.OutboxMessages.Where(m => m.SentAt != null && m.SentAt < cutoff).ExecuteDeleteAsync(cancellationToken);
    }

    [LoggerMessage(LogLevel.Warning, "Publishing outbox message {MessageId} ({Type}) failed, attempt {Attempts}: {Error}")]
    private static partial void LogPublishFailed(ILogger logger, Guid messageId, string type, int attempts, string error);

    [LoggerMessage(LogLevel.Warning,
        "Outbox message {MessageId} ({Type}) cannot be published, attempt {Attempts}: {Error}. Later events go on; it is tried again at {NextAttemptAt}.")]
    private static partial void LogSkipped(ILogger logger, Guid messageId, string type, int attempts, string error, DateTimeOffset nextAttemptAt);

    [LoggerMessage(LogLevel.Error,
        "Outbox message {MessageId} ({Type}) parked after {Attempts} failed attempts: {Error}. It is no longer tried; once the cause is fixed, clear its ParkedAt and Attempts to send it.")]
    private static partial void LogParked(ILogger logger, Guid messageId, string type, int attempts, string error);
}
