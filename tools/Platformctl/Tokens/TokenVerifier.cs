using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Platform.TokenRules;

namespace Platform.Platformctl.Tokens;

/// <summary>
/// The platform's validation rules, from the same Platform.TokenRules code Identity and every resource server run,
/// applied locally with keys from Identity's JWKS only, so the verdict is the one Orders would give. Header parameters
/// such as jku, x5u, jwk or x5c are never used to find keys. Only the lifetime is judged here, against the caller's
/// clock, so an expired but otherwise genuine token says "expired" rather than just "invalid".
/// </summary>
public static class TokenVerifier
{
    private const string TypeExplanation =
        "typ is not '" + AccessTokenRules.Type + "' (or 'application/" + AccessTokenRules.Type + "'): this is not an access token.";

    public static async Task<TokenVerdict> VerifyAsync(
        DecodedToken token, string issuer, JsonWebKeySet jwks, DateTimeOffset now, string? audience = null)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(jwks);
        // Checked before any other rule so that "none", HS* and other algorithms get a precise answer.
        if (token.Algorithm != AccessTokenRules.Algorithm)
            return TokenVerdict.Invalid($"alg is '{token.Algorithm ?? "(missing)"}'; only {AccessTokenRules.Algorithm} is accepted.");
        if (TokenShape.Check(token.Raw) is { } malformed)
            return TokenVerdict.Invalid(Explain(malformed));

        var rsaKeys = jwks.Keys.Where(k => k.Kty == JsonWebAlgorithmsKeyTypes.RSA).ToList();
        if (token.KeyId is null || rsaKeys.All(k => k.Kid != token.KeyId))
            return TokenVerdict.Invalid($"no key in Identity's JWKS has kid '{token.KeyId ?? "(missing)"}': not signed by this Identity, or by a key retired long ago.");

        var parameters = AccessTokenRules.Parameters(issuer, audience is null ? [] : [audience], AccessTokenRules.MaxClockSkew);
        // Without an audience to ask about, any audience will do.
        parameters.ValidateAudience = audience is not null;
        parameters.IssuerSigningKeys = rsaKeys;
        parameters.ValidateLifetime = false;
        parameters.RequireExpirationTime = false;
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token.Raw, parameters);
        if (!result.IsValid || result.SecurityToken is not JsonWebToken verified)
            return TokenVerdict.Invalid(Explain(result.Exception));

        return CheckClaims(token, verified, now) ?? TokenVerdict.Valid($"signature verified with key '{token.KeyId}'; issuer, type and lifetime are right.");
    }

    private static TokenVerdict? CheckClaims(DecodedToken token, JsonWebToken verified, DateTimeOffset now)
    {
        var nowSeconds = now.ToUnixTimeSeconds();
        var skew = (long)AccessTokenRules.MaxClockSkew.TotalSeconds;
        if (AccessTokenClaims.Read(verified, out var claims) is { } missing)
            return TokenVerdict.Invalid(Explain(missing));
        // A resource server's own bound may be configured otherwise; the default is what Orders runs with.
        if (claims.Refusal(nowSeconds, AccessTokenRules.MaxClockSkew, AccessTokenRules.DefaultMaxLifetime) is { } refusal)
        {
            return TokenVerdict.Invalid(refusal.Reason switch
            {
                TokenRefusalReason.IssuedInFuture => $"iat is {claims.IssuedAt - nowSeconds} s in the future (more than the {skew} s skew allowed).",
                TokenRefusalReason.LifetimeTooLong => $"the token lives {claims.Expires - claims.IssuedAt} s, more than the {(long)AccessTokenRules.DefaultMaxLifetime.TotalSeconds} s resource servers accept by default.",
                _ => Explain(refusal),
            });
        }

        if (token.Seconds("nbf") is { } notBefore && notBefore > nowSeconds + skew)
            return TokenVerdict.Invalid($"nbf is {notBefore - nowSeconds} s in the future (more than the {skew} s skew allowed).");
        if (claims.Expires + skew <= nowSeconds)
            return new TokenVerdict(TokenStatus.Expired, $"expired {Ago(nowSeconds - claims.Expires)} ago (signature and claims are otherwise fine).");
        return null;
    }

    private static string Ago(long seconds) =>
        seconds < 120 ? $"{seconds} s" : seconds < 7200 ? $"{seconds / 60} min" : $"{seconds / 3600} h";

    private static string Explain(TokenRefusal refusal) => refusal.Reason switch
    {
        TokenRefusalReason.Type => TypeExplanation,
        // The shared messages are fixed sentences that never repeat the token.
        _ => refusal.Message,
    };

    private static string Explain(Exception? error) => error switch
    {
        SecurityTokenSignatureKeyNotFoundException => "no matching key in Identity's JWKS.",
        SecurityTokenInvalidSignatureException => "the signature does not verify with Identity's key: the token was altered or forged.",
        SecurityTokenInvalidAlgorithmException => $"the algorithm is not {AccessTokenRules.Algorithm}.",
        SecurityTokenInvalidTypeException => TypeExplanation,
        SecurityTokenInvalidIssuerException => "iss is not Identity's issuer.",
        SecurityTokenInvalidAudienceException => "aud does not contain the requested audience.",
        SecurityTokenMalformedException or ArgumentException or JsonException => "the token is malformed.",
        null => "rejected for an unknown reason.",
        _ => $"rejected ({error.GetType().Name}).",
    };
}
