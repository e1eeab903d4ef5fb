using System.Collections.Concurrent;

namespace Platform.Identity.SharedSignals;

/// <summary>
/// Pushes delivery rows of push streams to their receivers. Each round claims, per stream this instance is not already
/// serving, a few due rows (FOR UPDATE SKIP LOCKED, then a lease on them), so several instances share the work and never
/// send a row at the same time; each stream's rows then go out on their own task with bounded concurrency, so a slow or
/// dead receiver holds up only its own stream. Woken after each commit that wrote rows; polls in case a wake-up is lost.
/// </summary>
internal sealed partial class PushDispatcher(
    IServiceScopeFactory scopes,
    PushSender sender,
    SetSigner signer,
    [FromKeyedServices(SignalFanOut.SignalKey)] OutboxSignal signal,
    TimeProvider time,
    IOptions<SharedSignalsOptions> options,
    ILogger<PushDispatcher> logger) : BackgroundService
{
    private const int BatchSize = 500;
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Retention = TimeSpan.FromDays(7);
    private readonly ConcurrentDictionary<Guid, Task> _serving = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var nextCleanup = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (time.GetUtcNow() >= nextCleanup)
                {
                    await DeleteSettledAsync(stoppingToken);
                    nextCleanup = time.GetUtcNow().AddHours(1);
                }

                var claimed = await ClaimAsync(stoppingToken);
                foreach (var (stream, rows) in claimed)
                {
                    // Registered before it may start, so a stream served quickly cannot unregister before it is registered.
                    var registered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    _serving[stream.Id] = ServeAsync(stream, rows, registered.Task, stoppingToken);
                    registered.SetResult();
                }

                if (claimed.Count == 0)
                    await signal.WaitAsync(PollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                // The database is unreachable or similar: rows stay, the next round retries.
                LogRoundFailed(logger, exception);
                await Task.Delay(PollInterval, stoppingToken);
            }
        }

        await Task.WhenAll(_serving.Values);
    }

    /// <summary>Due rows of enabled push streams, at most a few per stream, leased to this instance.</summary>
    private async Task<List<(StreamTarget Stream, List<SsfDelivery> Rows)>> ClaimAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var perStream = settings.MaxConcurrencyPerStream * 8;
        var now = time.GetUtcNow();
        // Long enough for every claimed row to time out once; a crashed instance's rows come due again after it.
        var leaseEnd = now + settings.RequestTimeout * (perStream / settings.MaxConcurrencyPerStream + 1) + TimeSpan.FromSeconds(30);
        var busy = _serving.Keys.ToArray();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
        // Per stream, the oldest due rows through the pending index: a backlog of ten thousand costs each claim a short
        // index range, not a scan.
        var rows = await db.SsfDeliveries.FromSql($"""
            WITH claimed AS (
                SELECT c."Id" FROM "SsfStreams" s CROSS JOIN LATERAL (
                    SELECT d."Id" FROM "SsfDeliveries" d
                    WHERE d."StreamId" = s."Id" AND d."DeliveredAt" IS NULL AND d."FailedAt" IS NULL AND d."NextAttemptAt" <= {now}
                    ORDER BY d."CreatedAt" LIMIT {perStream} FOR UPDATE SKIP LOCKED
                ) c
                WHERE s."DeliveryMethod" = {SsfEventTypes.Push} AND s."Status" = 'enabled' AND NOT (s."Id" = ANY({busy}))
                LIMIT {BatchSize}
            )
            UPDATE "SsfDeliveries" d SET "NextAttemptAt" = {leaseEnd}, "Attempts" = d."Attempts" + 1
            FROM claimed WHERE d."Id" = claimed."Id"
            RETURNING d.*
            """).AsNoTracking().ToListAsync(cancellationToken);
        if (rows.Count == 0)
            return [];
        var streamIds = rows.Select(r => r.StreamId).Distinct().ToArray();
        var streams = await db.SsfStreams.AsNoTracking().Where(s => streamIds.Contains(s.Id))
            .Select(s => new StreamTarget(s.Id, s.ClientId, s.EndpointUrl!)).ToListAsync(cancellationToken);
        return [.. streams.Select(s => (s, rows.Where(r => r.StreamId == s.Id).OrderBy(r => r.CreatedAt).ToList()))];
    }

    private async Task ServeAsync(StreamTarget stream, List<SsfDelivery> rows, Task registered, CancellationToken cancellationToken)
    {
        await registered;
        try
        {
            await Parallel.ForEachAsync(rows,
                new ParallelOptions { MaxDegreeOfParallelism = options.Value.MaxConcurrencyPerStream, CancellationToken = cancellationToken },
                async (row, token) => await DeliverAsync(stream, row, token));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            LogStreamFailed(logger, stream.Id, exception);
        }
        finally
        {
            _serving.TryRemove(stream.Id, out _);
            // More of this stream's rows may be due now.
            signal.Notify();
        }
    }

    private async Task DeliverAsync(StreamTarget stream, SsfDelivery row, CancellationToken cancellationToken)
    {
        var (outcome, error) = await sender.SendAsync(stream.EndpointUrl, signer.Sign(row, stream.ClientId), cancellationToken);
        var settings = options.Value;
        var now = time.GetUtcNow();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
        var rowQuery = db.SsfDeliveries.Where(d => d.Id == row.Id);
        if (outcome == PushOutcome.Delivered)
        {
            await rowQuery.ExecuteUpdateAsync(set => set.SetProperty(d => d.DeliveredAt, now).SetProperty(d => d.LastError, (string?)null), cancellationToken);
            LogDelivered(logger, row.Id, stream.Id, row.Attempts);
            return;
        }

        if (outcome == PushOutcome.Retry && row.Attempts < settings.MaxAttempts)
        {
            var delay = TimeSpan.FromMilliseconds(Math.Min(settings.MaxRetryDelay.TotalMilliseconds,
                settings.RetryDelay.TotalMilliseconds * Math.Pow(2, Math.Min(row.Attempts - 1, 20))));
            await rowQuery.ExecuteUpdateAsync(set => set.SetProperty(d => d.NextAttemptAt, now + delay).SetProperty(d => d.LastError, error), cancellationToken);
            LogRetrying(logger, row.Id, stream.Id, row.Attempts, error!, now + delay);
            return;
        }

        var reason = outcome == PushOutcome.Refused ? error! : $"gave up after {row.Attempts} attempts, last {error}";
        await rowQuery.ExecuteUpdateAsync(set => set.SetProperty(d => d.FailedAt, now).SetProperty(d => d.LastError, reason), cancellationToken);
        await db.SsfStreams.Where(s => s.Id == stream.Id).ExecuteUpdateAsync(set => set
            .SetProperty(s => s.FailedDeliveries, s => s.FailedDeliveries + 1)
            .SetProperty(s => s.LastFailureAt, now)
            .SetProperty(s => s.LastError, reason), cancellationToken);
        LogGivenUp(logger, row.Id, stream.Id, reason);
    }

    /// <summary>Settled rows (delivered or given up on) a week old: the stream's status keeps the count of failures.</summary>
    private async Task DeleteSettledAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var cutoff = time.GetUtcNow() - Retention;
        await scope.ServiceProvider.GetRequiredService<IdentityDb>().SsfDeliveries
            .Where(d => d.CreatedAt < cutoff && (d.DeliveredAt != null || d.FailedAt != null)).ExecuteDeleteAsync(cancellationToken);
    }

    private sealed record StreamTarget(Guid Id, string ClientId, string EndpointUrl);

    [LoggerMessage(LogLevel.Debug, "SET {Jti} delivered to stream {StreamId} on attempt {Attempts}")]
    private static partial void LogDelivered(ILogger logger, Guid jti, Guid streamId, int attempts);

    [LoggerMessage(LogLevel.Warning, "SET {Jti} to stream {StreamId}: attempt {Attempts} {Error}; tried again at {NextAttemptAt}")]
    private static partial void LogRetrying(ILogger logger, Guid jti, Guid streamId, int attempts, string error, DateTimeOffset nextAttemptAt);

    [LoggerMessage(LogLevel.Error, "SET {Jti} to stream {StreamId} given up: {Reason}")]
    private static partial void LogGivenUp(ILogger logger, Guid jti, Guid streamId, string reason);

    [LoggerMessage(LogLevel.Warning, "Shared Signals push round failed")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception);

    [LoggerMessage(LogLevel.Warning, "Pushing to stream {StreamId} failed")]
    private static partial void LogStreamFailed(ILogger logger, Guid streamId, Exception exception);
}
