using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;

namespace Platform.ResourceServer.Tokens;

public static class ScopeAuthorization
{
    /// <summary>Requires <paramref name="scope"/> among the token's <c>scope</c> values (space separated, RFC 9068).</summary>
    public static AuthorizationPolicyBuilder RequireScope(this AuthorizationPolicyBuilder policy, string scope)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return policy.RequireAuthenticatedUser().RequireAssertion(context => HasScope(context.User, scope));
    }

    public static bool HasScope(this ClaimsPrincipal user, string scope)
    {
        ArgumentNullException.ThrowIfNull(user);
        foreach (var claim in user.FindAll(PlatformClaims.Scope))
        {
            foreach (var value in claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (string.Equals(value, scope, StringComparison.Ordinal))
                    return true;
            }
        }

        return false;
    }
}
