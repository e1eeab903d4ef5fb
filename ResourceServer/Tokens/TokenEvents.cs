using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Platform.ResourceServer.Revocation;

namespace Platform.ResourceServer.Tokens;

/// <summary>
/// The checks JwtBearer does not make (required claims, issued-at, lifetime bound, the deny-list) and the shape of
/// rejections: 401 <c>invalid_token</c> or 403 <c>insufficient_scope</c>, each with a problem body that says nothing
/// about keys or the token.
/// </summary>
internal sealed class TokenEvents : JwtBearerEvents
{
    /// <summary>Reads the bearer token as JwtBearer would and refuses a malformed one before any signature work.</summary>
    public override Task MessageReceived(MessageReceivedContext context)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return Task.CompletedTask;

        var token = authorization.AsSpan("Bearer ".Length).Trim();
        if (token.IsEmpty)
            return Task.CompletedTask;
        if (TokenShape.Check(token) is { } problem)
            context.Fail(problem);
        else
            context.Token = token.ToString();
        return Task.CompletedTask;
    }

    public override async Task TokenValidated(TokenValidatedContext context)
    {
        var services = context.HttpContext.RequestServices;
        var settings = services.GetRequiredService<IOptions<ResourceServerOptions>>().Value;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().ToUnixTimeSeconds();

        if (context.SecurityToken is not JsonWebToken token
            || !token.TryGetPayloadValue<string>("sub", out var sub) || !Guid.TryParse(sub, out var userId)
            || !token.TryGetPayloadValue<string>("sid", out var sid) || !Guid.TryParse(sid, out var sessionId)
            || !token.TryGetPayloadValue<string>("jti", out var jti) || string.IsNullOrWhiteSpace(jti)
            || !token.TryGetPayloadValue<long>("iat", out var issuedAt)
            || !token.TryGetPayloadValue<long>("exp", out var expires))
        {
            context.Fail("The token lacks a required claim.");
            return;
        }

        if (!await IsExactIssuerAsync(context, token))
            context.Fail("The token's issuer is not Identity.");
        else if (issuedAt > now + (long)settings.ClockSkew.TotalSeconds)
            context.Fail("The token was issued in the future.");
        else if (expires - issuedAt > (long)settings.MaxTokenLifetime.TotalSeconds)
            context.Fail("The token lives longer than allowed.");
        else if (services.GetRequiredService<DenyList>().IsRevoked(userId, sessionId, issuedAt))
            context.Fail("The token has been revoked.");
    }

    public override async Task Challenge(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        var response = context.Response;
        response.StatusCode = StatusCodes.Status401Unauthorized;
        // Without any token RFC 6750 wants a bare challenge; any token that was presented and refused is invalid_token.
        response.Headers.WWWAuthenticate = context.AuthenticateFailure is null && !HasBearerHeader(context.Request)
            ? "Bearer"
            : "Bearer error=\"invalid_token\"";
        await WriteProblemAsync(context.HttpContext, StatusCodes.Status401Unauthorized, "Unauthorized",
            "A valid access token is required.");
    }

    public override async Task Forbidden(ForbiddenContext context)
    {
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        context.Response.Headers.WWWAuthenticate = "Bearer error=\"insufficient_scope\"";
        await WriteProblemAsync(context.HttpContext, StatusCodes.Status403Forbidden, "Forbidden",
            "The access token does not grant this operation.");
    }

    // IdentityModel treats issuers differing only by a trailing slash as equal; the contract wants them identical.
    private static async Task<bool> IsExactIssuerAsync(TokenValidatedContext context, JsonWebToken token)
    {
        if (context.Options.ConfigurationManager is not { } manager)
            return false;
        var configuration = await manager.GetConfigurationAsync(context.HttpContext.RequestAborted);
        return string.Equals(token.Issuer, configuration.Issuer, StringComparison.Ordinal);
    }

    private static bool HasBearerHeader(HttpRequest request) =>
        request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);

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
