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
    private const string BearerPrefix = "Bearer ";

    /// <summary>Reads the bearer token as JwtBearer would and refuses a malformed one with the resource servers' rules.</summary>
    public override Task MessageReceived(MessageReceivedContext context)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        if (!authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
            return Task.CompletedTask;

        var token = authorization.AsSpan(BearerPrefix.Length).Trim();
        if (token.IsEmpty)
            return Task.CompletedTask;
        if (TokenShape.Check(token) is { } problem)
            context.Fail(problem);
        else
            context.Token = token.ToString();
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

    /// <summary>
    /// JwtBearer without error details would answer a refused token with a bare <c>Bearer</c>; RFC 6750 wants
    /// <c>invalid_token</c> for any token that was presented, and a bare challenge only when there was none.
    /// </summary>
    public override async Task Challenge(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        var response = context.Response;
        response.StatusCode = StatusCodes.Status401Unauthorized;
        var presented = context.Request.Headers.Authorization.ToString().StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase);
        response.Headers.WWWAuthenticate = context.AuthenticateFailure is null && !presented ? "Bearer" : "Bearer error=\"invalid_token\"";
        var problems = context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context.HttpContext,
            ProblemDetails = { Status = StatusCodes.Status401Unauthorized, Title = "Unauthorized", Detail = "A valid access token is required." },
        });
    }
}
