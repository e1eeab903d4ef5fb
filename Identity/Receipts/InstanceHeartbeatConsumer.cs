using MassTransit;

namespace Platform.Identity.Receipts;

/// <summary>
/// Records each instance's latest heartbeat, dated by Identity's clock (the one the events are dated by), so liveness
/// and "started before the event" never compare two machines' clocks. One statement per batch.
/// </summary>
public sealed class InstanceHeartbeatConsumer(IdentityDb db, TimeProvider time) : IConsumer<Batch<InstanceHeartbeatSent>>
{
    public async Task Consume(ConsumeContext<Batch<InstanceHeartbeatSent>> context)
    {
        // The latest beat of each instance: one statement cannot update a row twice.
        var beats = context.Message.Select(m => m.Message)
            .Where(b => b.InstanceId is { Length: > 0 and <= ApiInstance.MaxIdLength }
                && b.Service is { Length: > 0 and <= ApiInstance.MaxServiceLength }
                && b.Interval > TimeSpan.Zero && b.Interval <= ApiInstance.MaxInterval)
            .GroupBy(b => b.InstanceId, StringComparer.Ordinal)
            .Select(g => g.MaxBy(b => b.SentAt)!)
            .ToList();
        if (beats.Count == 0)
            return;
        var ids = beats.Select(b => b.InstanceId).ToArray();
        var services = beats.Select(b => b.Service).ToArray();
        var started = beats.Select(b => b.StartedAt).ToArray();
        var intervals = beats.Select(b => b.Interval).ToArray();
        var ready = beats.Select(b => b.Ready).ToArray();
        var now = time.GetUtcNow();
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO "ApiInstances" ("Id", "Service", "StartedAt", "FirstSeenAt", "LastSeenAt", "Interval", "Ready")
            SELECT id, service, started, {now}, {now}, beat, ready
            FROM unnest({ids}, {services}, {started}, {intervals}, {ready}) AS row(id, service, started, beat, ready)
            ON CONFLICT ("Id") DO UPDATE SET "LastSeenAt" = excluded."LastSeenAt", "Interval" = excluded."Interval", "Ready" = excluded."Ready"
            """, context.CancellationToken);
    }
}
