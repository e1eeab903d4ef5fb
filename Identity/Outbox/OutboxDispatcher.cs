using System.Text.Json;
using MassTransit;
using Platform.Identity.Diagnostics;

namespace Platform.Identity.Outbox;

/// <summary>
/// Publishes outbox rows over the bus and marks them sent only after the broker confirmed (MassTransit's
/// RabbitMQ publish completes on the publisher confirm). Rows are claimed with FOR UPDATE SKIP LOCKED, so
/// several instances never publish the same row at once; a row published twice (crash before the commit)
/// carries the same MessageId, and consumers are idempotent.
/// </summary>
internal sealed partial class OutboxDispatcher(
    IServiceScopeFactory scopes,
    IBus bus,
    OutboxSignal signal,
    TimeProvider time,
    IdentityMetrics metrics,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Retention = TimeSpan.FromDays(7);
    private const int BatchSize = 50;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        var nextCleanup = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var (published, failed) = await DispatchBatchAsync(stoppingToken);
                await ObserveBacklogAsync(stoppingToken);
                if (failed)
                {
                    failures++;
                    var backoff = TimeSpan.FromMilliseconds(Math.Min(MaxBackoff.TotalMilliseconds, 500 * Math.Pow(2, Math.Min(failures, 10))));
                    await Task.Delay(backoff, stoppingToken);
                    continue;
                }

                failures = 0;
                if (published == BatchSize)
                    continue;
                if (time.GetUtcNow() >= nextCleanup)
                {
                    await DeleteSentAsync(stoppingToken);
                    nextCleanup = time.GetUtcNow().AddHours(1);
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
                LogDispatchFailed(logger, exception);
                await Task.Delay(PollInterval, stoppingToken);
            }
        }
    }

    private async Task<(int Published, bool Failed)> DispatchBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var rows = await db.OutboxMessages
            .FromSql($"SELECT * FROM \"OutboxMessages\" WHERE \"SentAt\" IS NULL ORDER BY \"CreatedAt\" LIMIT {BatchSize} FOR UPDATE SKIP LOCKED")
            .ToListAsync(cancellationToken);
        var published = 0;
        var failed = false;
        foreach (var row in rows)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(PublishTimeout);
                using (IdentityActivities.StartDispatch(row.Type, row.Id, row.TraceParent))
                    await PublishAsync(row, timeout.Token);
                row.SentAt = time.GetUtcNow();
                metrics.EventPublished(row.Type);
                published++;
            }
            catch (Exception exception) when (exception is not OutOfMemoryException && !cancellationToken.IsCancellationRequested)
            {
                row.Attempts++;
                failed = true;
                LogPublishFailed(logger, row.Id, row.Type, row.Attempts, exception.Message);
                break; // keep the order: later rows wait for this one
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (published, failed);
    }

    private Task PublishAsync(OutboxMessage row, CancellationToken cancellationToken) => row.Type switch
    {
        nameof(UserDeactivated) => Publish<UserDeactivated>(row, cancellationToken),
        nameof(SessionRevoked) => Publish<SessionRevoked>(row, cancellationToken),
        nameof(PasswordResetRequested) => Publish<PasswordResetRequested>(row, cancellationToken),
        nameof(SigningKeyRevoked) => Publish<SigningKeyRevoked>(row, cancellationToken),
        _ => throw new InvalidOperationException($"Unknown outbox message type '{row.Type}'."),
    };

    private Task Publish<T>(OutboxMessage row, CancellationToken cancellationToken) where T : class
    {
        var message = JsonSerializer.Deserialize<T>(row.Payload)
            ?? throw new InvalidOperationException($"Outbox message {row.Id} has an empty payload.");
        return bus.Publish(message, context => context.MessageId = row.Id, cancellationToken);
    }

    private async Task ObserveBacklogAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var pending = scope.ServiceProvider.GetRequiredService<IdentityDb>().OutboxMessages.Where(m => m.SentAt == null);
        var count = await pending.CountAsync(cancellationToken);
        var oldest = count == 0 ? null : await pending.MinAsync(m => (DateTimeOffset?)m.CreatedAt, cancellationToken);
        metrics.OutboxObserved(count, oldest);
    }

    private async Task DeleteSentAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
        var cutoff = time.GetUtcNow() - Retention;
        await db.OutboxMessages.Where(m => m.SentAt != null && m.SentAt < cutoff).ExecuteDeleteAsync(cancellationToken);
    }

    [LoggerMessage(LogLevel.Warning, "Outbox dispatch failed")]
    private static partial void LogDispatchFailed(ILogger logger, Exception exception);

    [LoggerMessage(LogLevel.Warning, "Publishing outbox message {MessageId} ({Type}) failed, attempt {Attempts}: {Error}")]
    private static partial void LogPublishFailed(ILogger logger, Guid messageId, string type, int attempts, string error);
}
