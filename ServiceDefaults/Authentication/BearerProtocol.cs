using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Platform.ServiceDefaults.Authentication;

/// <summary>
/// The parts of RFC 6750 every API of the platform answers alike, Identity's own API included: where the bearer token
/// is read from, and refusals whose problem body says nothing about keys or the token. The JwtBearer events of each
/// service call these, so the answers cannot drift apart.
/// </summary>
public static class BearerProtocol
{
    private const string Prefix = "Bearer ";

    /// <summary>The token of an <c>Authorization: Bearer</c> header, read as JwtBearer reads it; empty when none was presented.</summary>
    public static ReadOnlySpan<char> PresentedToken(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)
            ? authorization.AsSpan(Prefix.Length).Trim()
            : [];
    }

    /// <summary>
    /// 401: a bare challenge when no token came, <c>invalid_token</c> for any token that was presented and refused.
    /// The caller has already taken over the response from JwtBearer.
    /// </summary>
    public static Task ChallengeAsync(HttpContext httpContext, bool refused)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        httpContext.Response.StatusCode = StatusCodes.Status401Unauthorized;
        var presented = httpContext.Request.Headers.Authorization.ToString().StartsWith(Prefix, StringComparison.OrdinalIgnoreCase);
        httpContext.Response.Headers.WWWAuthenticate = !refused && !presented
            ? "Bearer"
            : "Bearer error=\"invalid_token\"";
        return WriteProblemAsync(httpContext, StatusCodes.Status401Unauthorized, "Unauthorized",
            "A valid access token is required.");
    }

    /// <summary>403 <c>insufficient_scope</c>: the token is valid but does not grant the operation.</summary>
    public static Task ForbiddenAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        httpContext.Response.StatusCode = StatusCodes.Status403Forbidden;
        httpContext.Response.Headers.WWWAuthenticate = "Bearer error=\"insufficient_scope\"";
        return WriteProblemAsync(httpContext, StatusCodes.Status403Forbidden, "Forbidden",
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
