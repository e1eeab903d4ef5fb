using System.ComponentModel.DataAnnotations;
using Platform.Identity.Accounts;
using Platform.Identity.Apis;

namespace Platform.Identity;

/// <summary>The "Identity" configuration section; each feature's own settings class lives in that feature's folder.</summary>
public sealed class IdentityServiceOptions
{
    public const string Section = "Identity";

    /// <summary>Identity's public base URL: the tokens' <c>iss</c> and the discovery document's issuer.</summary>
    [Required(ErrorMessage = "Identity:Issuer (Identity__Issuer) must be set to Identity's public base URL.")]
    public string Issuer { get; set; } = "";

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a session can be kept alive with refresh tokens.</summary>
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(14);

    /// <summary>Audiences of a token issued without a <c>resource</c>: the platform's APIs, never Identity's own.</summary>
    public string[] Audiences { get; set; } = ["orders"];

    /// <summary>
    /// Identity's own audience: a token carries it only when asked for with <c>resource</c>, and the operator API
    /// accepts no other, so a token sent to another API is no operator credential at Identity.
    /// </summary>
    public string OwnAudience { get; set; } = "identity";

    public string? KeyEncryptionKey { get; set; }

    public string? KeyEncryptionKeyFile { get; set; }

    public string DataDirectory { get; set; } = "./data";

    public BootstrapAdminOptions BootstrapAdmin { get; set; } = new();

    public SigningKeyOptions SigningKeys { get; set; } = new();

    public RateLimitOptions RateLimit { get; set; } = new();

    public OutboxOptions Outbox { get; set; } = new();

    public AdminOptions Admin { get; set; } = new();

    /// <summary>The largest clock skew validators allow; retired keys and revocations outlive tokens by this much.</summary>
    public static readonly TimeSpan ClockSkew = TokenRules.AccessTokenRules.MaxClockSkew;

    /// <summary>How long after an event a token it covers can still be valid.</summary>
    public TimeSpan RevocationWindow => AccessTokenLifetime + ClockSkew;

    /// <summary>
    /// Runs once, before validation: every reader (token <c>iss</c>, discovery <c>issuer</c>, Identity's own checks)
    /// then sees the same issuer. Resource servers compare the two ordinally, so <c>https://id.example.com/</c> in
    /// one place and <c>https://id.example.com</c> in the other would refuse every token.
    /// </summary>
    public static void Normalise(IdentityServiceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Issuer = options.Issuer?.Trim().TrimEnd('/') ?? "";
    }
}
