using System.Security.Claims;

namespace Platform.ResourceServer.Tokens;

public static class PlatformClaims
{
    /// <summary>
    /// The token's <c>sub</c>. Only call it behind authorization: validation already refused tokens whose <c>sub</c>
    /// is missing or not a GUID.
    /// </summary>
    public static Guid GetUserId(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return Guid.TryParse(user.FindFirst("sub")?.Value, out var id)
            ? id
            : throw new InvalidOperationException("The principal carries no valid 'sub'; is the endpoint authorized?");
    }
}
