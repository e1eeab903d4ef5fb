namespace Platform.Identity.Data;

/// <summary>A resource-server instance as its heartbeats describe it; live while a beat arrived within three of its intervals.</summary>
public sealed class ApiInstance
{
    public const int MaxIdLength = 200;
    public const int MaxServiceLength = 100;

    /// <summary>The longest heartbeat interval a resource server may set (<c>HeartbeatInterval</c>); a longer one is no heartbeat of the platform's.</summary>
    public static readonly TimeSpan MaxInterval = TimeSpan.FromMinutes(5);

    /// <summary>No instance whose last beat is older than this can still be live.</summary>
    public static readonly TimeSpan LongestLiveness = 3 * MaxInterval;

    public required string Id { get; set; }

    public required string Service { get; set; }

    /// <summary>The instance's own clock at its start.</summary>
    public DateTimeOffset StartedAt { get; set; }

    /// <summary>
    /// Identity's clock at the first heartbeat. The instance queue is bound before that beat, so every event written
    /// after it reaches the instance; earlier ones it loaded from the catch-up, and no receipt is expected for them.
    /// </summary>
    public DateTimeOffset FirstSeenAt { get; set; }

    /// <summary>Identity's clock at the latest heartbeat.</summary>
    public DateTimeOffset LastSeenAt { get; set; }

    public TimeSpan Interval { get; set; }

    /// <summary>Whether the instance had loaded the revocations from before its start at its latest heartbeat.</summary>
    public bool Ready { get; set; }

    /// <summary>Three missed beats and the instance counts as gone.</summary>
    public bool IsLiveAt(DateTimeOffset now) => LastSeenAt + (3 * Interval) >= now;
}
