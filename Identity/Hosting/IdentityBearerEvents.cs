using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.EntityFrameworkCore;
using Platform.Identity.Data;
using Platform.ResourceServer.Tokens;

namespace Platform.Identity.Hosting;

/// <summary>
/// What Identity's own API adds to JwtBearer, as a resource server does: the raw-structure checks before any signature
/// work, the session check after it, and rejections that are 401 <c>invalid_token</c> with a problem body that says
/// nothing about keys or the token.
/// </summary>
internal sealed class IdentityBearerEvents : JwtBearerEvents
{
    public override Task MessageReceived(MessageReceivedContext context)
    {
        BearerProtocol.ReadToken(context);
        return Task.CompletedTask;
    }

    /// <summary>A token of a revoked session or a deactivated user is refused here at once, not at its expiry.</summary>
    public override async Task TokenValidated(TokenValidatedContext context)
    {
        var principal = context.Principal!;
        if (!Guid.TryParse(principal.FindFirst("sub")?.Value, out var userId) || !Guid.TryParse(principal.FindFirst("sid")?.Value, out var sessionId))
        {
            context.Fail("The token lacks sub or sid.");
            return;
        }

        var db = context.HttpContext.RequestServices.GetRequiredService<IdentityDb>();
        var live = await db.Sessions.AsNoTracking()
            .AnyAsync(s => s.Id == sessionId && s.UserId == userId && s.RevokedAt == null
                && db.Users.Any(u => u.Id == userId && u.IsActive), context.HttpContext.RequestAborted);
        if (!live)
            context.Fail("The session has ended.");
    }

    public override Task Challenge(JwtBearerChallengeContext context) => BearerProtocol.ChallengeAsync(context);

    public override Task Forbidden(ForbiddenContext context) => BearerProtocol.ForbiddenAsync(context);
}
