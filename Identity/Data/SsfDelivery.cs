namespace Platform.Identity.Data;

/// <summary>
/// One security event for one stream, written in the transaction of the change it announces. Its id is the SET's
/// <c>jti</c>, so a retried or re-polled SET carries the same one and a receiver can drop the copy.
/// </summary>
public sealed class SsfDelivery
{
    public Guid Id { get; set; }

    public Guid StreamId { get; set; }

    public required string EventType { get; set; }

    /// <summary>The SET's <c>sub_id</c> and its event's members, as JSON; signed into a SET only when sent.</summary>
    public required string Payload { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Not claimed before this: the next retry, or the end of a dispatcher's lease on the row.</summary>
    public DateTimeOffset NextAttemptAt { get; set; }

    public int Attempts { get; set; }

    /// <summary>Accepted by the receiver (202 to a push, or acknowledged in a poll).</summary>
    public DateTimeOffset? DeliveredAt { get; set; }

    /// <summary>Given up: refused for good by the receiver, or out of attempts.</summary>
    public DateTimeOffset? FailedAt { get; set; }

    public string? LastError { get; set; }
}
