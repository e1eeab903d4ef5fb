using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Platform.Identity.Data;
using Platform.ServiceDefaults.Authentication;
using Platform.TokenRules;

namespace Platform.Identity.Hosting;

/// <summary>
/// What Identity's own API adds to JwtBearer, as a resource server does: the raw-structure checks before any signature
/// work, the platform's claim rules and the session check after it, and rejections that are 401 <c>invalid_token</c>
/// with a problem body that says nothing about keys or the token.
/// </summary>
internal sealed class IdentityBearerEvents : JwtBearerEvents
{
    public override Task MessageReceived(MessageReceivedContext context)
    {
        var token = BearerProtocol.PresentedToken(context.Request);
        if (token.IsEmpty)
            return Task.CompletedTask;
        if (TokenShape.Check(token) is { } refusal)
            context.Fail(refusal.Message);
        else
            context.Token = token.ToString();
        return Task.CompletedTask;
    }

    /// <summary>A token of a revoked session or a deactivated user is refused here at once, not at its expiry.</summary>
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
        if ((AccessTokenClaims.Read(token, out var claims) ?? claims.Refusal(now, AccessTokenRules.MaxClockSkew, lifetime)) is { } refusal)
        {
            context.Fail(refusal.Message);
            return;
        }

        var db = services.GetRequiredService<IdentityDb>();
        var live = await db.Sessions.AsNoTracking()
            .AnyAsync(s => s.Id == claims.SessionId && s.UserId == claims.UserId && s.RevokedAt == null
                && db.Users.Any(u => u.Id == claims.UserId && u.IsActive), context.HttpContext.RequestAborted);
        if (!live)
            context.Fail("The session has ended.");
    }

    public override Task Challenge(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        return BearerProtocol.ChallengeAsync(context.HttpContext, refused: context.AuthenticateFailure is not null);
    }

    public override Task Forbidden(ForbiddenContext context) => BearerProtocol.ForbiddenAsync(context.HttpContext);
}
