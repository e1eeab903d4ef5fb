namespace Platform.Identity.Apis;

/// <summary>
/// Identity:RateLimit — the per-client limits on the credential endpoints, and the proxies trusted to name a client.
/// A client is an IPv4 address or an IPv6 /64 network; each endpoint has its own count.
/// </summary>
public sealed class RateLimitOptions
{
    /// <summary>Requests per window, per client and endpoint, on token refresh and forgot-password.</summary>
    public int PermitLimit { get; set; } = 1000;

    /// <summary>
    /// Requests per window, per client and endpoint, on the endpoints that check or hash a password: login, sign-up,
    /// password change and password reset. Each costs a PBKDF2 run of 600 000 iterations, so the budget is small;
    /// raise it when many users share one address (a NAT without a trusted proxy in front of Identity).
    /// </summary>
    public int PasswordPermitLimit { get; set; } = 20;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Reverse proxies (addresses, or networks in CIDR notation) whose <c>X-Forwarded-For</c> names the client. Empty,
    /// the default: the connection's address is the client and the header is ignored, so no client picks its own bucket.
    /// </summary>
    public string[] TrustedProxies { get; set; } = [];
}
