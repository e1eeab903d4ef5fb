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
    private const string DefaultAuthenticationType = "AuthenticationTypes.Federation";

    private TrustedConfiguration? _trusted;

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        ArgumentNullException.ThrowIfNull(validationParameters);
        if (!cache.Enabled || string.IsNullOrEmpty(token) || token.Length > MaximumTokenSizeInBytes)
            return await base.ValidateTokenAsync(token, validationParameters);

        if (cache.TryGet(token, out var cached) && await StillTrustedAsync(cached, validationParameters))
        {
            cache.CountHit();
            return new TokenValidationResult
            {
                IsValid = true,
                SecurityToken = cached,
                ClaimsIdentity = cached.Identity(validationParameters.AuthenticationType ?? DefaultAuthenticationType),
                Issuer = cached.Issuer,
                TokenType = AccessTokenRules.Type,
            };
        }

        var result = await base.ValidateTokenAsync(token, validationParameters);
        // A token TokenEvents is going to refuse is never cached; its checks are repeated, not skipped, on every request.
        if (result.IsValid && result.SecurityToken is JsonWebToken verified && cache.VerifiedBefore(token)
            && Project(verified) is { } projection)
            cache.Add(token, projection);
        return result;
    }

    /// <summary>The cache's entry for a token that passes every check TokenEvents makes; null for any other.</summary>
    private CachedAccessToken? Project(JsonWebToken verified)
    {
        if (AccessTokenClaims.Read(verified, out var claims) is not null
            || claims.Refusal(verified.Kid, resourceServer.Value, time.GetUtcNow().ToUnixTimeSeconds(), denyList) is not null
            // The principal is rebuilt from the GUIDs, so only their canonical spelling round-trips exactly.
            || verified.GetPayloadValue<string>(PlatformClaims.Subject) != claims.UserId.ToString()
            || (claims.SessionId is { } session && verified.GetPayloadValue<string>(PlatformClaims.SessionId) != session.ToString())
            || AccessTokenShape.Of(verified) is not { } shape)
            return null;
        // The exact issuer TokenEvents wants (IdentityModel lets a trailing slash differ) is checked on every hit.
        return new CachedAccessToken(shape, claims.UserId, claims.SessionId, claims.IssuedAt, claims.Expires);
    }

    /// <summary>
    /// Keys rotate, configuration refreshes and keys are revoked; a cached verdict only stands under the same trust.
    /// JwtBearer hands issuer and keys over through the parameters' ConfigurationManager (the discovery document), not
    /// in ValidIssuers and IssuerSigningKeys, so the current configuration is what is compared against. A revoked key
    /// may still sit in the configuration until the JWKS is fetched again, so that is asked separately.
    /// </summary>
    private async ValueTask<bool> StillTrustedAsync(CachedAccessToken token, TokenValidationParameters parameters)
    {
        if (denyList.IsKeyRevoked(token.Kid))
            return false;
        if (parameters.ConfigurationManager is null)
            return TrustedConfiguration.AdmitsStatic(token, parameters);
        BaseConfiguration configuration;
        try
        {
            // The manager answers from memory between refreshes, as it does for the full validation.
            configuration = await parameters.ConfigurationManager.GetBaseConfigurationAsync(CancellationToken.None);
        }
        catch (InvalidOperationException)
        {
            // No configuration yet: the full validation reports it.
            return false;
        }

        var trusted = _trusted;
        if (trusted is null || !ReferenceEquals(trusted.Configuration, configuration))
            _trusted = trusted = new TrustedConfiguration(configuration);
        return trusted.Admits(token, parameters);
    }
}
