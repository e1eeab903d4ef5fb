namespace Platform.Identity.Data;

/// <summary>
/// A service that obtains its own tokens with client credentials. Its <see cref="Id"/> is the client id, and the
/// <c>sub</c> and <c>client_id</c> of its tokens; only a hash of its secret is kept, so the secret is shown once.
/// </summary>
public sealed class ServiceClient
{
    public Guid Id { get; set; }

    public required string Name { get; set; }

    /// <summary>SHA-256 of the current secret: the secret is 256 random bits, so no slower hash is needed.</summary>
    public required byte[] SecretHash { get; set; }

    public string[] Scopes { get; set; } = [];

    public string[] Audiences { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset SecretRotatedAt { get; set; }

    /// <summary>Set once, never cleared: the client's tokens issued at or before it are refused everywhere.</summary>
    public DateTimeOffset? DisabledAt { get; set; }

    /// <summary>The client id as tokens spell it (<c>sub</c>, <c>client_id</c>).</summary>
    public string ClientId => Id.ToString("D");
}
