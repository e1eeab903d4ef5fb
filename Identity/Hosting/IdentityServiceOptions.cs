using System.ComponentModel.DataAnnotations;

namespace Platform.Identity.Hosting;

/// <summary>The "Identity" configuration section.</summary>
public sealed class IdentityServiceOptions
{
    public const string Section = "Identity";

    /// <summary>Identity's public base URL: the tokens' <c>iss</c> and the discovery document's issuer.</summary>
    [Required(ErrorMessage = "Identity:Issuer (Identity__Issuer) must be set to Identity's public base URL.")]
    public string Issuer { get; set; } = "";

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a session can be kept alive with refresh tokens.</summary>
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(14);

    /// <summary>Audiences written into every token; Identity itself accepts tokens carrying any of them.</summary>
    public string[] Audiences { get; set; } = ["orders"];

    public string? KeyEncryptionKey { get; set; }

    public string? KeyEncryptionKeyFile { get; set; }

    public string DataDirectory { get; set; } = "./data";

    public BootstrapAdminOptions BootstrapAdmin { get; set; } = new();

    public SigningKeyOptions SigningKeys { get; set; } = new();

    public RateLimitOptions RateLimit { get; set; } = new();

    public OutboxOptions Outbox { get; set; } = new();

    /// <summary>The largest clock skew validators allow; retired keys and revocations outlive tokens by this much.</summary>
    public static readonly TimeSpan ClockSkew = TokenRules.AccessTokenRules.MaxClockSkew;

    /// <summary>How long after an event a token it covers can still be valid.</summary>
    public TimeSpan RevocationWindow => AccessTokenLifetime + ClockSkew;
}

public sealed class BootstrapAdminOptions
{
    public string Email { get; set; } = "admin@platform.local";

    public string? Password { get; set; }
}

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

public sealed class RateLimitOptions
{
    /// <summary>Requests per window, per client address and endpoint, on login, refresh, sign-up and forgot-password.</summary>
    public int PermitLimit { get; set; } = 1000;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Reverse proxies (addresses, or networks in CIDR notation) whose <c>X-Forwarded-For</c> names the client. Empty,
    /// the default: the connection's address is the client and the header is ignored, so no client picks its own bucket.
    /// </summary>
    public string[] TrustedProxies { get; set; } = [];
}

public sealed class OutboxOptions
{
    /// <summary>Readiness turns Degraded once the oldest unsent event is older than this.</summary>
    public TimeSpan ReadinessMaxPendingAge { get; set; } = TimeSpan.FromMinutes(2);
}
