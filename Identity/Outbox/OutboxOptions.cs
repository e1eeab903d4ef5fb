namespace Platform.Identity.Outbox;

/// <summary>Identity:Outbox — when waiting events make readiness Degraded.</summary>
public sealed class OutboxOptions
{
    /// <summary>Readiness turns Degraded once the oldest unsent event is older than this.</summary>
    public TimeSpan ReadinessMaxPendingAge { get; set; } = TimeSpan.FromMinutes(2);
}
