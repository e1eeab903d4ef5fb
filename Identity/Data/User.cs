namespace Platform.Identity.Data;

public sealed class User : IdentityUser<Guid>
{
    public string? DisplayName { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public bool IsActive { get; set; } = true;

    /// <summary>The last deactivation; kept after reactivation because tokens issued before it stay revoked.</summary>
    public DateTimeOffset? DeactivatedAt { get; set; }
}
