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
    public override Task MessageReceived(MessageReceivedContext context)
    {
        BearerProtocol.ReadToken(context);
        return Task.CompletedTask;
    }

    public override async Task TokenValidated(TokenValidatedContext context)
    {
        var services = context.HttpContext.RequestServices;
        var settings = services.GetRequiredService<IOptions<ResourceServerOptions>>().Value;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().ToUnixTimeSeconds();

        if (context.SecurityToken is not JsonWebToken token || !AccessTokenClaims.TryRead(token, out var claims))
        {
            context.Fail(AccessTokenClaims.Missing);
            return;
        }

        if (!await IsExactIssuerAsync(context, token))
            context.Fail("The token's issuer is not Identity.");
        else if (claims.Refusal(settings, now, services.GetRequiredService<DenyList>()) is { } refusal)
            context.Fail(refusal);
    }

    public override Task Challenge(JwtBearerChallengeContext context) => BearerProtocol.ChallengeAsync(context);

    public override Task Forbidden(ForbiddenContext context) => BearerProtocol.ForbiddenAsync(context);

    // IdentityModel treats issuers differing only by a trailing slash as equal; the contract wants them identical.
    private static async Task<bool> IsExactIssuerAsync(TokenValidatedContext context, JsonWebToken token)
    {
        if (context.Options.ConfigurationManager is not { } manager)
            return false;
        var configuration = await manager.GetConfigurationAsync(context.HttpContext.RequestAborted);
        return string.Equals(token.Issuer, configuration.Issuer, StringComparison.Ordinal);
    }
}
