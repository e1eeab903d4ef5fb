using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Platform.ResourceServer.Tokens;

/// <summary>
/// The JwtBearer token handler: a token seen and verified before skips the RSA check and JSON parsing; everything
/// that can change between two presentations of the same bytes is still checked on every call: its expiry (by the
/// cache), the issuer, audience and signing key the current configuration trusts and no revocation of that key (here),
/// and the deny-list (in <see cref="TokenEvents.TokenValidated"/>, which runs on cached and uncached tokens alike).
/// </summary>
public sealed class CachingTokenHandler(
    VerifiedTokenCache cache, DenyList denyList, IOptions<ResourceServerOptions> resourceServer, TimeProvider time)
    : JsonWebTokenHandler
{
    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        ArgumentNullException.ThrowIfNull(validationParameters);
        if (!cache.Enabled || string.IsNullOrEmpty(token) || token.Length > MaximumTokenSizeInBytes)
            return await base.ValidateTokenAsync(token, validationParameters);

        if (cache.TryGet(token, out var cached) && StillTrusted(cached, validationParameters))
        {
            return new TokenValidationResult
            {
                IsValid = true,
                SecurityToken = cached,
                // A fresh identity per request: callers may add claims to it, and a shared one would leak them.
                ClaimsIdentity = CreateClaimsIdentity(cached, validationParameters),
                Issuer = cached.Issuer,
                TokenType = cached.Typ,
            };
        }

        var result = await base.ValidateTokenAsync(token, validationParameters);
        // A token TokenEvents is going to refuse is never cached; its checks are repeated, not skipped, on every request.
        if (result.IsValid && cache.VerifiedBefore(token) && result.SecurityToken is JsonWebToken verified
            && AccessTokenClaims.Read(verified, out var claims) is null
            && claims.Refusal(verified.Kid, resourceServer.Value, time.GetUtcNow().ToUnixTimeSeconds(), denyList) is null)
            cache.Add(token, verified, claims.Expires);
        return result;
    }

    /// <summary>
    /// Keys rotate, configuration refreshes and keys are revoked; a cached verdict only stands under the same trust. A
    /// revoked key may still sit in the configuration until the JWKS is fetched again, so that is asked separately.
    /// </summary>
    private bool StillTrusted(JsonWebToken token, TokenValidationParameters parameters) =>
        !denyList.IsKeyRevoked(token.Kid)
        && IsTrustedIssuer(token.Issuer, parameters) && HasTrustedAudience(token, parameters) && HasTrustedKey(token.Kid, parameters);

    private static bool IsTrustedIssuer(string issuer, TokenValidationParameters parameters)
    {
        if (string.Equals(parameters.ValidIssuer, issuer, StringComparison.Ordinal))
            return true;
        if (parameters.ValidIssuers is null)
            return false;
        foreach (var valid in parameters.ValidIssuers)
        {
            if (string.Equals(valid, issuer, StringComparison.Ordinal))
                return true;
        }

        return false;
    }

    private static bool HasTrustedAudience(JsonWebToken token, TokenValidationParameters parameters)
    {
        foreach (var audience in token.Audiences)
        {
            if (string.Equals(parameters.ValidAudience, audience, StringComparison.Ordinal))
                return true;
            if (parameters.ValidAudiences is not null && parameters.ValidAudiences.Contains(audience, StringComparer.Ordinal))
                return true;
        }

        return false;
    }

    private static bool HasTrustedKey(string kid, TokenValidationParameters parameters)
    {
        if (string.IsNullOrEmpty(kid))
            return false;
        if (parameters.IssuerSigningKey?.KeyId == kid)
            return true;
        if (parameters.IssuerSigningKeys is null)
            return false;
        foreach (var signingKey in parameters.IssuerSigningKeys)
        {
            if (string.Equals(signingKey.KeyId, kid, StringComparison.Ordinal))
                return true;
        }

        return false;
    }
}
