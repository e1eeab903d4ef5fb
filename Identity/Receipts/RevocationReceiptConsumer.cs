using MassTransit;

namespace Platform.Identity.Receipts;

/// <summary>
/// Stores one instance's message of receipts in one statement. Redelivered receipts meet the (event, instance) key and
/// change nothing; the first time an instance reported stays.
/// </summary>
public sealed class RevocationReceiptConsumer(IdentityDb db, TimeProvider time) : IConsumer<RevocationReceiptsSent>
{
    /// <summary>More than any instance sends at once (it sends at most 500): such a message is not an instance's.</summary>
    public const int MaxReceipts = 1000;

    public async Task Consume(ConsumeContext<RevocationReceiptsSent> context)
    {
        if (context.Message.Receipts is not { Count: > 0 and <= MaxReceipts } sent)
            return;
        // A receipt that could not have come from an instance (no event, an id longer than any instance's) is dropped.
        var receipts = sent
            .Where(r => r is not null && r.EventId != Guid.Empty && r.InstanceId is { Length: > 0 and <= ApiInstance.MaxIdLength })
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
