using System.ComponentModel.DataAnnotations;

namespace Platform.ResourceServer;

/// <summary>
/// How an API trusts Identity, bound from the API's own section (e.g. <c>Orders:Authority</c>).
/// Validated on start, like every options class of the library, through its DataAnnotations, so a missing or unsafe
/// value stops the service instead of weakening it.
/// </summary>
public sealed class ResourceServerOptions
{
    // RangeAttribute's TimeSpan bounds are strings; this one stands for "no upper bound".
    private const string NoLimit = "10675199.02:48:05.4775807";

    /// <summary>Identity's base URL; its discovery document is the only source of signing keys.</summary>
    [AbsoluteUri(ErrorMessage = "Authority must be Identity's absolute base URL.")]
    public Uri? Authority { get; set; }

    /// <summary>The audience this API accepts in <c>aud</c>.</summary>
    [Required(ErrorMessage = "Audience must be set.")]
    public string Audience { get; set; } = "";

    /// <summary>Null means: required everywhere except in Development.</summary>
    public bool? RequireHttpsMetadata { get; set; }

    /// <summary>Tokens living longer than this (exp − iat) are refused; it also bounds how long revocations are kept.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00", MinimumIsExclusive = true,
        ErrorMessage = "MaxTokenLifetime must be positive and at most one hour.")]
    public TimeSpan MaxTokenLifetime { get; set; } = AccessTokenRules.DefaultMaxLifetime;

    [Range(typeof(TimeSpan), "00:00:00", "00:00:30", ErrorMessage = "ClockSkew must be between 0 and 30 seconds.")]
    public TimeSpan ClockSkew { get; set; } = AccessTokenRules.MaxClockSkew;

    // The floor is IdentityModel's own: below it the ConfigurationManager throws on the first request.
    /// <summary>How often the JWKS is re-read even when every kid is known.</summary>
    [Range(typeof(TimeSpan), "00:05:00", NoLimit, ErrorMessage = "AutomaticRefreshInterval must be at least five minutes.")]
    public TimeSpan AutomaticRefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The least time between two refreshes caused by unknown kids, so a flood of them cannot hammer Identity.</summary>
    [Range(typeof(TimeSpan), "00:00:01", NoLimit, ErrorMessage = "RefreshInterval must be at least one second.")]
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one <c>GetActiveRevocations</c> request waits for Identity.</summary>
    [Range(typeof(TimeSpan), "00:00:00", NoLimit, MinimumIsExclusive = true, ErrorMessage = "CatchUpTimeout must be positive.")]
    public TimeSpan CatchUpTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Requests tried on start before the service reports ready from what it persisted.</summary>
    [Range(1, int.MaxValue, ErrorMessage = "CatchUpAttempts must be positive.")]
    public int CatchUpAttempts { get; set; } = 2;

    /// <summary>
    /// Pause between background retries once Identity did not answer on start (or after a broker reconnect). Short,
    /// because until Identity answers the deny-list may miss revocations and readiness reports it as stale.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", NoLimit, MinimumIsExclusive = true, ErrorMessage = "CatchUpRetryInterval must be positive.")]
    public TimeSpan CatchUpRetryInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Revoked users and sessions held in memory beyond which the instance raises an alarm (an error log, the
    /// <c>platform.revocation.over_capacity</c> gauge and a Degraded readiness). Revocations are still applied past it.
    /// </summary>
    [Range(1_000, 100_000_000, ErrorMessage = "MaxEntries must be between 1000 and 100000000.")]
    public int MaxEntries { get; set; } = 2_000_000;

    [Range(typeof(TimeSpan), "00:00:00", NoLimit, MinimumIsExclusive = true, ErrorMessage = "PurgeInterval must be positive.")]
    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Whether this instance reports each revocation it applied (<c>RevocationApplied</c>, in <c>RevocationReceiptsSent</c>)
    /// and sends heartbeats, so operators can see which instances enforce an event. Off, Identity does not count the
    /// instance at all.
    /// </summary>
    public bool DeliveryReceipts { get; set; } = true;

    /// <summary>How often the instance tells Identity it lives; Identity counts it gone after three missed beats.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00", ErrorMessage = "HeartbeatInterval must be between one second and five minutes.")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Kept revocations outlive the last token they cover by this margin.</summary>
    internal TimeSpan RetentionAfterEvent => MaxTokenLifetime + ClockSkew;
}

/// <summary>Null, relative URIs and anything that is not a URI fail.</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class AbsoluteUriAttribute : ValidationAttribute
{
    public override bool IsValid(object? value) => value is Uri { IsAbsoluteUri: true };
}
