namespace Platform.Identity.SigningKeys;

/// <summary>Identity:SigningKeys — key publication, lifetime and rotation checks.</summary>
public sealed class SigningKeyOptions
{
    /// <summary>How long validators may cache the JWKS (its Cache-Control max-age).</summary>
    public TimeSpan JwksMaxAge { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a new key is published before it signs; at least twice <see cref="JwksMaxAge"/>.</summary>
    public TimeSpan PropagationTime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a key signs before its successor takes over.</summary>
    public TimeSpan KeyLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often each instance reloads keys from the database and checks whether a rotation is due.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(30);
}
