namespace Platform.Identity.Data;

/// <summary>Who did what to whom, when and why: every operator action leaves one.</summary>
public sealed class AuditRecord
{
    public Guid Id { get; set; }

    public DateTimeOffset At { get; set; }

    public Guid ActorId { get; set; }

    public required string Action { get; set; }

    public Guid? TargetUserId { get; set; }

    public string? Target { get; set; }

    public string? Reason { get; set; }

    public static AuditRecord Of(Guid actorId, string action, DateTimeOffset at, Guid? targetUserId = null, string? target = null, string? reason = null) => new()
    {
        Id = Guid.CreateVersion7(at),
        At = at,
        ActorId = actorId,
        Action = action,
        TargetUserId = targetUserId,
        Target = target,
        Reason = reason,
    };
}
