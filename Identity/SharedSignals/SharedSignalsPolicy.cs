using Microsoft.AspNetCore.Authorization;
using Microsoft.IdentityModel.JsonWebTokens;
using Platform.TokenRules;

namespace Platform.Identity.SharedSignals;

/// <summary>
/// Who may manage streams and poll: a service client's token for Identity's own audience whose <c>scope</c> holds
/// <c>ssf:manage</c>. The token's <c>client_id</c> owns the streams it creates and is the <c>aud</c> of their SETs.
/// </summary>
public static class SharedSignalsPolicy
{
    public const string Name = "ssf";

    public const string Scope = PlatformScopes.SsfManage;

    public const string ClientIdClaim = PlatformClaims.ClientId;

    public static void Add(AuthorizationOptions authorization, string ownAudience)
    {
        ArgumentNullException.ThrowIfNull(authorization);
        authorization.AddPolicy(Name, policy => policy.RequireAuthenticatedUser()
            .RequireClaim(JwtRegisteredClaimNames.Aud, ownAudience)
            .RequireAssertion(context => !string.IsNullOrEmpty(context.User.FindFirst(ClientIdClaim)?.Value)
                && context.User.FindAll(PlatformClaims.Scope)
                    .Any(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(Scope, StringComparer.Ordinal))));
    }

    /// <summary>The caller's client id; only behind <see cref="Name"/>, which requires it.</summary>
    public static string ClientId(this ClaimsPrincipal principal) =>
        principal.FindFirst(ClientIdClaim)?.Value ?? throw new InvalidOperationException("The principal carries no client_id; is the endpoint authorized?");
}
