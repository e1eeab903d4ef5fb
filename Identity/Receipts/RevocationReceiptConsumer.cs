using MassTransit;

namespace Platform.Identity.Receipts;

/// <summary>
/// Stores receipts a batch at a time: a bulk deactivation of ten thousand users, applied by every instance, sends tens
/// of thousands of them, one INSERT each would take minutes. Redelivered receipts meet the (event, instance) key and
/// change nothing; the first time an instance reported stays.
/// </summary>
public sealed class RevocationReceiptConsumer(IdentityDb db, TimeProvider time) : IConsumer<Batch<RevocationApplied>>
{
    public async Task Consume(ConsumeContext<Batch<RevocationApplied>> context)
    {
        // A receipt that could not have come from an instance (no event, an id longer than any instance's) is dropped.
        var receipts = context.Message.Select(m => m.Message)
            .Where(r => r.EventId != Guid.Empty && r.InstanceId is { Length: > 0 and <= ApiInstance.MaxIdLength })
            .ToList();
        if (receipts.Count == 0)
            return;
        var events = receipts.Select(r => r.EventId).ToArray();
        var instances = receipts.Select(r => r.InstanceId).ToArray();
        var applied = receipts.Select(r => r.AppliedAt).ToArray();
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO "RevocationReceipts" ("EventId", "InstanceId", "AppliedAt", "ReceivedAt")
            SELECT event, instance, applied, {time.GetUtcNow()} FROM unnest({events}, {instances}, {applied}) AS row(event, instance, applied)
            ON CONFLICT ("EventId", "InstanceId") DO NOTHING
            """, context.CancellationToken);
    }
}
