namespace Platform.Identity.Data;

/// <summary>One resource-server instance confirmed it applied one revocation event; the pair is the key, so a redelivery adds nothing.</summary>
public sealed class RevocationReceipt
{
    /// <summary>The event's outbox row id, which is its message id on the bus.</summary>
    public Guid EventId { get; set; }

    public required string InstanceId { get; set; }

    /// <summary>The instance's clock once its deny-list held the event.</summary>
    public DateTimeOffset AppliedAt { get; set; }

    /// <summary>Identity's clock when the receipt was stored; the retention runs from it.</summary>
    public DateTimeOffset ReceivedAt { get; set; }
}
