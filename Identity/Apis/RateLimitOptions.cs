namespace Platform.Identity.Apis;

/// <summary>Identity:RateLimit — the per-client limit on the credential endpoints, and the proxies trusted to name a client.</summary>
public sealed class RateLimitOptions
{
    /// <summary>Requests per window, per client address and endpoint, on login, refresh, sign-up, forgot-password, password reset and password change.</summary>
    public int PermitLimit { get; set; } = 1000;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Reverse proxies (addresses, or networks in CIDR notation) whose <c>X-Forwarded-For</c> names the client. Empty,
    /// the default: the connection's address is the client and the header is ignored, so no client picks its own bucket.
    /// </summary>
    public string[] TrustedProxies { get; set; } = [];
}
