using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Platform.ServiceDefaults.Authentication;
using Platform.TokenRules;

namespace Platform.Identity.Authentication;

/// <summary>
/// What Identity's own API checks after the signature, as a resource server does: the platform's claim rules, then the
/// session row instead of a deny-list. Structure checks and refusals are the platform's, in <see cref="PlatformBearerEvents"/>.
/// </summary>
internal sealed class IdentityBearerEvents : PlatformBearerEvents
{
    /// <summary>A token of a revoked or outdated session or of a deactivated user is refused here at once, not at its expiry.</summary>
    public override async Task TokenValidated(TokenValidatedContext context)
    {
        var services = context.HttpContext.RequestServices;
        if (context.SecurityToken is not JsonWebToken token)
        {
            context.Fail("The token lacks a required claim.");
            return;
        }

        // Identity issues every token with its configured lifetime, so that is the bound a genuine one meets.
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().ToUnixTimeSeconds();
        var lifetime = services.GetRequiredService<IOptions<IdentityServiceOptions>>().Value.AccessTokenLifetime;
        if (!token.TryGetPayloadValue<string>(PlatformClaims.SessionId, out _)
            && context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<ClientTokensAccepted>() is not null)
        {
            // A service client's token: it has no session row to check.
            if (ClientTokensAccepted.Refusal(token, now, lifetime) is { } clientRefusal)
                context.Fail(clientRefusal);
            return;
        }

        if ((AccessTokenClaims.Read(token, out var claims) ?? claims.Refusal(now, AccessTokenRules.MaxClockSkew, lifetime)) is { } refusal)
        {
            context.Fail(refusal.Message);
            return;
        }

        var db = services.GetRequiredService<IdentityDb>();
        // The stamp too: a session bound to an older one began before a change of the user's password, roles or state.
        var live = await db.Sessions.AsNoTracking()
            .AnyAsync(s => s.Id == claims.SessionId && s.UserId == claims.UserId && s.RevokedAt == null
                && db.Users.Any(u => u.Id == claims.UserId && u.IsActive && u.SecurityStamp == s.SecurityStamp), context.HttpContext.RequestAborted);
        if (!live)
            context.Fail("The session has ended.");
    }
}
