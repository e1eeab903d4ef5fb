using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Platform.ResourceServer.Revocation;
using Platform.ServiceDefaults.Authentication;
using Platform.TokenRules;

namespace Platform.ResourceServer.Tokens;

/// <summary>
/// The checks JwtBearer does not make: the raw structure before any signature work (<see cref="TokenShape"/>), then the
/// required claims, the exact issuer, issued-at, lifetime bound and deny-list; and the shape of rejections: 401
/// <c>invalid_token</c> or 403 <c>insufficient_scope</c>, each with a problem body that says nothing about keys or the token.
/// </summary>
internal sealed class TokenEvents : JwtBearerEvents
{
    private static readonly TokenRefusal NotAJsonWebToken = new(TokenRefusalReason.MissingClaim, "The token lacks a required claim.");
    private static readonly TokenRefusal NotIdentity = new(TokenRefusalReason.Issuer, "The token's issuer is not Identity.");

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

    public override async Task TokenValidated(TokenValidatedContext context)
    {
        if (await RefusalAsync(context) is { } refusal)
            context.Fail(new TokenRefusedException(refusal));
    }

    public override Task Challenge(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        return BearerProtocol.ChallengeAsync(context.HttpContext, refused: context.AuthenticateFailure is not null);
    }

    public override Task Forbidden(ForbiddenContext context) => BearerProtocol.ForbiddenAsync(context.HttpContext);

    private static async Task<TokenRefusal?> RefusalAsync(TokenValidatedContext context)
    {
        if (context.SecurityToken is not JsonWebToken token)
            return NotAJsonWebToken;
        if (AccessTokenClaims.Read(token, out var claims) is { } missing)
            return missing;
        if (!await IsExactIssuerAsync(context, token))
            return NotIdentity;

        var services = context.HttpContext.RequestServices;
        var settings = services.GetRequiredService<IOptions<ResourceServerOptions>>().Value;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().ToUnixTimeSeconds();
        return claims.Refusal(settings, now, services.GetRequiredService<DenyList>());
    }

    // IdentityModel treats issuers differing only by a trailing slash as equal; the contract wants them identical.
    private static async Task<bool> IsExactIssuerAsync(TokenValidatedContext context, JsonWebToken token)
    {
        if (context.Options.ConfigurationManager is not { } manager)
            return false;
        var configuration = await manager.GetConfigurationAsync(context.HttpContext.RequestAborted);
        return string.Equals(token.Issuer, configuration.Issuer, StringComparison.Ordinal);
    }
}
