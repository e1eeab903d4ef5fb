using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Platform.ServiceDefaults.Authentication;

namespace Platform.ResourceServer.Tokens;

/// <summary>
/// The checks a resource server makes after the signature: the required claims, the exact issuer, issued-at, lifetime
/// bound and deny-list (users, sessions and revoked signing keys). Structure checks and the shape of refusals are the platform's, in <see cref="PlatformBearerEvents"/>.
/// </summary>
internal sealed class TokenEvents : PlatformBearerEvents
{
    private static readonly TokenRefusal NotAJsonWebToken = new(TokenRefusalReason.MissingClaim, "The token lacks a required claim.");
    private static readonly TokenRefusal NotIdentity = new(TokenRefusalReason.Issuer, "The token's issuer is not Identity.");

    public override async Task TokenValidated(TokenValidatedContext context)
    {
        if (await RefusalAsync(context) is { } refusal)
            context.Fail(new TokenRefusedException(refusal));
    }

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
        return claims.Refusal(token.Kid, settings, now, services.GetRequiredService<DenyList>());
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
