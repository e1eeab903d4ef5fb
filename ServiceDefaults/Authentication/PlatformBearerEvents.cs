using Microsoft.AspNetCore.Authentication.JwtBearer;
using Platform.TokenRules;

namespace Platform.ServiceDefaults.Authentication;

/// <summary>
/// The parts of RFC 6750 every API of the platform answers alike, Identity's own API included: the raw-structure checks
/// (<see cref="TokenShape"/>) before any signature work, and refusals whose problem body says nothing about keys or the
/// token. Each service adds only what it checks after the signature, in <see cref="JwtBearerEvents.TokenValidated"/>,
/// so the answers cannot drift apart.
/// </summary>
public abstract class PlatformBearerEvents : JwtBearerEvents
{
    private const string Prefix = "Bearer ";

    public override Task MessageReceived(MessageReceivedContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var authorization = context.Request.Headers.Authorization.ToString();
        // Read as JwtBearer reads it, so the checked token is the one it would validate.
        var token = authorization.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)
            ? authorization.AsSpan(Prefix.Length).Trim()
            : [];
        if (token.IsEmpty)
            return Task.CompletedTask;
        if (TokenShape.Check(token) is { } refusal)
            context.Fail(refusal.Message);
        else
            context.Token = token.ToString();
        return Task.CompletedTask;
    }

    /// <summary>401: a bare challenge when no token came, <c>invalid_token</c> for any token presented and refused.</summary>
    public override Task Challenge(JwtBearerChallengeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.HandleResponse();
        var httpContext = context.HttpContext;
        httpContext.Response.StatusCode = StatusCodes.Status401Unauthorized;
        var presented = httpContext.Request.Headers.Authorization.ToString().StartsWith(Prefix, StringComparison.OrdinalIgnoreCase);
        httpContext.Response.Headers.WWWAuthenticate = context.AuthenticateFailure is null && !presented
            ? "Bearer"
            : "Bearer error=\"invalid_token\"";
        return WriteProblemAsync(httpContext, StatusCodes.Status401Unauthorized, "Unauthorized",
            "A valid access token is required.");
    }

    /// <summary>403 <c>insufficient_scope</c>: the token is valid but does not grant the operation.</summary>
    public override Task Forbidden(ForbiddenContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        context.Response.Headers.WWWAuthenticate = "Bearer error=\"insufficient_scope\"";
        return WriteProblemAsync(context.HttpContext, StatusCodes.Status403Forbidden, "Forbidden",
            "The access token does not grant this operation.");
    }

    private static async Task WriteProblemAsync(HttpContext httpContext, int status, string title, string detail)
    {
        var problems = httpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }
}
