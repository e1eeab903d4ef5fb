namespace Platform.Identity.Data;

/// <summary>A refresh token, known only by its SHA-256 hash. A consumed one presented again means theft.</summary>
public sealed class RefreshToken
{
    public required byte[] Hash { get; set; }

    public Guid SessionId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? ConsumedAt { get; set; }
}
