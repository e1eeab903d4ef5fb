using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Platform.ResourceServer.Diagnostics;
using Platform.ServiceDefaults.Authentication;

namespace Platform.ResourceServer.Tokens;

/// <summary>
/// The checks a resource server makes after the signature: the required claims, the exact issuer, issued-at, lifetime
/// bound and deny-list (users, sessions and revoked signing keys). Structure checks and the shape of refusals are the
/// platform's, in <see cref="PlatformBearerEvents"/>. Each refusal is counted once, where it happens: a malformed
/// token (MessageReceived), a failed signature or claim check (AuthenticationFailed), or a platform check (TokenValidated).
/// A cached token passed every claim check when it was admitted, and the handler checked issuer, audience and key
/// against the current configuration, so only the deny-list is left for it, without an await or an allocation.
/// </summary>
internal sealed class TokenEvents(
    ResourceServerMetrics metrics, VerifiedTokenCache cache, DenyList denyList, IOptions<ResourceServerOptions> resourceServer,
    TimeProvider time)
    : PlatformBearerEvents
{
    private const string Bearer = "Bearer ";

    private static readonly TokenRefusal NotAJsonWebToken = new(TokenRefusalReason.MissingClaim, "The token lacks a required claim.");
    private static readonly TokenRefusal NotIdentity = new(TokenRefusalReason.Issuer, "The token's issuer is not Identity.");

    public override Task MessageReceived(MessageReceivedContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        // The structure checks decode and scan both JSON segments; a token the cache holds passed them when it was
        // first presented, and the verdict is a function of its bytes alone.
        var authorization = context.Request.Headers.Authorization.ToString();
        if (authorization.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase)
            && authorization.AsSpan(Bearer.Length).Trim() is { IsEmpty: false } presented && cache.Contains(presented))
        {
            context.Token = presented.ToString();
            return Task.CompletedTask;
        }

        // The platform's structure checks complete synchronously.
        base.MessageReceived(context).GetAwaiter().GetResult();
        if (context.Result?.Failure is not null)
            metrics.TokenRejected(TokenRejectionReasons.Malformed);
        return Task.CompletedTask;
    }

    public override Task AuthenticationFailed(AuthenticationFailedContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        metrics.TokenRejected(TokenRejectionReasons.Of(context.Exception));
        return base.AuthenticationFailed(context);
    }

    public override Task TokenValidated(TokenValidatedContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.SecurityToken is CachedAccessToken cached)
        {
            if (cached.Refusal(denyList) is { } refusal)
                Refuse(context, refusal);
            return Task.CompletedTask;
        }

        return FullyValidatedAsync(context);
    }

    private async Task FullyValidatedAsync(TokenValidatedContext context)
    {
        if (await RefusalAsync(context) is { } refusal)
            Refuse(context, refusal);
    }

    private void Refuse(TokenValidatedContext context, TokenRefusal refusal)
    {
        var exception = new TokenRefusedException(refusal);
        context.Fail(exception);
        metrics.TokenRejected(TokenRejectionReasons.Of(exception));
    }

    private async Task<TokenRefusal?> RefusalAsync(TokenValidatedContext context)
    {
        if (context.SecurityToken is not JsonWebToken token)
            return NotAJsonWebToken;
        if (AccessTokenClaims.Read(token, out var claims) is { } missing)
            return missing;
        if (!await IsExactIssuerAsync(context, token))
            return NotIdentity;
        return claims.Refusal(token.Kid, resourceServer.Value, time.GetUtcNow().ToUnixTimeSeconds(), denyList);
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
