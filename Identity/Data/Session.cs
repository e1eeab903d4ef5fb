namespace Platform.Identity.Data;

/// <summary>One login. Access tokens name it in <c>sid</c>; refresh tokens are bound to it.</summary>
public sealed class Session
{
    public Guid Id { get; set; }

    public Guid UserId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>
    /// The user's security stamp when the session began. A password change or reset, a deactivation or a removed role
    /// renews the user's stamp, and a session whose stamp no longer matches is refused.
    /// </summary>
    public string SecurityStamp { get; set; } = "";

    public DateTimeOffset LastSeenAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    public string? RevokedReason { get; set; }
}
