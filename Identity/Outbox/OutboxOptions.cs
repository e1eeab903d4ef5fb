namespace Platform.Identity.Outbox;

/// <summary>Identity:Outbox — when waiting events make readiness Degraded, and when a row that keeps failing is set aside.</summary>
public sealed class OutboxOptions
{
    /// <summary>Readiness turns Degraded once the oldest unsent event is older than this.</summary>
    public TimeSpan ReadinessMaxPendingAge { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Failed attempts after which a row is parked. With the backoff between attempts (1 s doubling up to 5 min) the
    /// default gives a row about eight minutes, longer than a rolling deploy in which an older instance meets a type
    /// only newer ones know.
    /// </summary>
    public int MaxAttempts { get; set; } = 10;
}
