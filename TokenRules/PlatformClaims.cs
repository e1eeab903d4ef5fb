using System.Security.Claims;

namespace Platform.TokenRules;

/// <summary>The claim names Identity writes and every validator reads (RFC 9068 §2.2, RFC 7519 §4.1).</summary>
public static class PlatformClaims
{
    public const string Subject = "sub";

    public const string SessionId = "sid";

    public const string Role = "role";

    /// <summary>The service client a token was issued to (RFC 9068 §2.2); on a client's own token it equals <c>sub</c>.</summary>
    public const string ClientId = "client_id";

    /// <summary>Space-separated scope values (RFC 9068 §2.2.3).</summary>
    public const string Scope = "scope";

    /// <summary>
    /// The token's <c>sub</c>. Only call it behind authorization: validation already refused tokens whose <c>sub</c>
    /// is missing or not a GUID.
    /// </summary>
    public static Guid GetUserId(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return Guid.TryParse(user.FindFirst(Subject)?.Value, out var id)
            ? id
            : throw new InvalidOperationException("The principal carries no valid 'sub'; is the endpoint authorized?");
    }
}

/// <summary>The scopes Identity grants and the APIs require.</summary>
public static class PlatformScopes
{
    public const string OrdersRead = "orders:read";

    public const string OrdersWrite = "orders:write";

    /// <summary>Managing the caller's own Shared Signals streams; granted only to service clients.</summary>
    public const string SsfManage = "ssf:manage";

    /// <summary>What every signed-in user's access token carries, as the <c>scope</c> claim's value.</summary>
    public const string User = OrdersRead + " " + OrdersWrite;

    /// <summary>Every scope a token may carry, so a service client is granted nothing the APIs do not know.</summary>
    public static readonly IReadOnlyList<string> All = [OrdersRead, OrdersWrite, SsfManage];
}
