using System.ComponentModel.DataAnnotations;
using Platform.TokenRules;

namespace Platform.ResourceServer;

/// <summary>
/// How an API trusts Identity, bound from the API's own section (e.g. <c>Orders:Authority</c>).
/// Validated on start so a missing or unsafe value stops the service instead of weakening it.
/// </summary>
public sealed class ResourceServerOptions : IValidatableObject
{
    /// <summary>Identity's base URL; its discovery document is the only source of signing keys.</summary>
    public Uri? Authority { get; set; }

    /// <summary>The audience this API accepts in <c>aud</c>.</summary>
    public string Audience { get; set; } = "";

    /// <summary>Null means: required everywhere except in Development.</summary>
    public bool? RequireHttpsMetadata { get; set; }

    /// <summary>Tokens living longer than this (exp − iat) are refused; it also bounds how long revocations are kept.</summary>
    public TimeSpan MaxTokenLifetime { get; set; } = AccessTokenRules.DefaultMaxLifetime;

    public TimeSpan ClockSkew { get; set; } = AccessTokenRules.MaxClockSkew;

    /// <summary>How often the JWKS is re-read even when every kid is known.</summary>
    public TimeSpan AutomaticRefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The least time between two refreshes caused by unknown kids, so a flood of them cannot hammer Identity.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one <c>GetActiveRevocations</c> request waits for Identity.</summary>
    public TimeSpan CatchUpTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Requests tried on start before the service reports ready from what it persisted.</summary>
    public int CatchUpAttempts { get; set; } = 2;

    /// <summary>Pause between background retries once Identity did not answer on start.</summary>
    public TimeSpan CatchUpRetryInterval { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Kept revocations outlive the last token they cover by this margin.</summary>
    internal TimeSpan RetentionAfterEvent => MaxTokenLifetime + ClockSkew;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Authority is null || !Authority.IsAbsoluteUri)
            yield return new("Authority must be Identity's absolute base URL.", [nameof(Authority)]);
        if (string.IsNullOrWhiteSpace(Audience))
            yield return new("Audience must be set.", [nameof(Audience)]);
        if (ClockSkew < TimeSpan.Zero || ClockSkew > AccessTokenRules.MaxClockSkew)
            yield return new("ClockSkew must be between 0 and 30 seconds.", [nameof(ClockSkew)]);
        if (MaxTokenLifetime <= TimeSpan.Zero || MaxTokenLifetime > TimeSpan.FromHours(1))
            yield return new("MaxTokenLifetime must be positive and at most one hour.", [nameof(MaxTokenLifetime)]);
        // IdentityModel's own floor: below it the ConfigurationManager throws on the first request.
        if (AutomaticRefreshInterval < TimeSpan.FromMinutes(5))
            yield return new("AutomaticRefreshInterval must be at least five minutes.", [nameof(AutomaticRefreshInterval)]);
        if (RefreshInterval < TimeSpan.FromSeconds(1))
            yield return new("RefreshInterval must be at least one second.", [nameof(RefreshInterval)]);
        if (CatchUpTimeout <= TimeSpan.Zero || CatchUpAttempts < 1 || CatchUpRetryInterval <= TimeSpan.Zero)
            yield return new("CatchUpTimeout, CatchUpAttempts and CatchUpRetryInterval must be positive.", [nameof(CatchUpTimeout)]);
        if (PurgeInterval <= TimeSpan.Zero)
            yield return new("PurgeInterval must be positive.", [nameof(PurgeInterval)]);
    }
}
