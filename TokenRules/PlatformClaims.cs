using System.Security.Claims;

namespace Platform.TokenRules;

/// <summary>The claim names Identity writes and every validator reads (RFC 9068 §2.2, RFC 7519 §4.1).</summary>
public static class PlatformClaims
{
    public const string Subject = "sub";

    public const string SessionId = "sid";

    public const string Role = "role";

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

    /// <summary>What every signed-in user's access token carries, as the <c>scope</c> claim's value.</summary>
    public const string User = OrdersRead + " " + OrdersWrite;
}
