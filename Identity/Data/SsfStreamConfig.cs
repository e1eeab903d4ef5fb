namespace Platform.Identity.Data;

/// <summary>An SSF event stream a receiver (a service client) created: where its SETs go and which event types it takes.</summary>
public sealed class SsfStreamConfig
{
    public const int MaxEndpointLength = 2000;
    public const int MaxDescriptionLength = 200;
    public const int MaxErrorLength = 500;

    public Guid Id { get; set; }

    /// <summary>The owning client's id: only it manages the stream, and it is every SET's <c>aud</c>.</summary>
    public required string ClientId { get; set; }

    /// <summary><c>urn:ietf:rfc:8935</c> (push) or <c>urn:ietf:rfc:8936</c> (poll).</summary>
    public required string DeliveryMethod { get; set; }

    /// <summary>The receiver's push URL; null for poll, whose URL Identity derives from the stream id.</summary>
    public string? EndpointUrl { get; set; }

    public string[] EventsRequested { get; set; } = [];

    /// <summary>The requested types Identity sends; delivery rows are written only for these.</summary>
    public string[] EventsDelivered { get; set; } = [];

    public string? Description { get; set; }

    /// <summary><c>enabled</c>, <c>paused</c> (events kept, not sent) or <c>disabled</c> (events not kept).</summary>
    public string Status { get; set; } = "enabled";

    public string? StatusReason { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>SETs given up on, after the attempts allowed or a receiver's permanent refusal.</summary>
    public int FailedDeliveries { get; set; }

    public DateTimeOffset? LastFailureAt { get; set; }

    /// <summary>Why the last given-up SET failed, in the dispatcher's words: a status code or the receiver's error code.</summary>
    public string? LastError { get; set; }
}
