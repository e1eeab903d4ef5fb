using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Platform.ResourceServer.Tokens;

/// <summary>
/// The parts of RFC 6750 every API of the platform answers alike, Identity's own API included: reading the bearer
/// token through the structure checks before any signature work, and refusals whose problem body says nothing about
/// keys or the token.
/// </summary>
public static class BearerProtocol
{
    private const string Prefix = "Bearer ";

    /// <summary>Reads the bearer token as JwtBearer would and refuses a malformed one with <see cref="TokenShape"/>.</summary>
    public static void ReadToken(MessageReceivedContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var authorization = context.Request.Headers.Authorization.ToString();
        if (!authorization.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
            return;

        var token = authorization.AsSpan(Prefix.Length).Trim();
        if (token.IsEmpty)
            return;
        if (TokenShape.Check(token) is { } problem)
            context.Fail(problem);
        else
            context.Token = token.ToString();
    }

    /// <summary>401: a bare challenge when no token came, <c>invalid_token</c> for any token that was presented and refused.</summary>
    public static Task ChallengeAsync(JwtBearerChallengeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.HandleResponse();
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        var presented = context.Request.Headers.Authorization.ToString().StartsWith(Prefix, StringComparison.OrdinalIgnoreCase);
        context.Response.Headers.WWWAuthenticate = context.AuthenticateFailure is null && !presented
            ? "Bearer"
            : "Bearer error=\"invalid_token\"";
        return WriteProblemAsync(context.HttpContext, StatusCodes.Status401Unauthorized, "Unauthorized",
            "A valid access token is required.");
    }

    /// <summary>403 <c>insufficient_scope</c>: the token is valid but does not grant the operation.</summary>
    public static Task ForbiddenAsync(ForbiddenContext context)
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
