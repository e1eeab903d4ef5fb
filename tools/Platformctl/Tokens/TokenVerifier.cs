using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Platform.Platformctl.Tokens;

/// <summary>
/// The platform's validation rules (docs/ARCHITECTURE.md, "Validation"), applied locally with keys from Identity's
/// JWKS only. Header parameters such as jku, x5u, jwk or x5c are never used to find keys.
/// </summary>
public static class TokenVerifier
{
    public const string RequiredAlgorithm = SecurityAlgorithms.RsaSha256;
    public const string RequiredType = "at+jwt";
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    public static async Task<TokenVerdict> VerifyAsync(
        DecodedToken token, string issuer, JsonWebKeySet jwks, DateTimeOffset now, string? audience = null)
    {
        // Checked before any cryptography so that "none", HS* and other algorithms get a precise answer.
        if (token.Algorithm != RequiredAlgorithm)
            return TokenVerdict.Invalid($"alg is '{token.Algorithm ?? "(missing)"}'; only {RequiredAlgorithm} is accepted.");

        var rsaKeys = jwks.Keys.Where(k => k.Kty == JsonWebAlgorithmsKeyTypes.RSA).ToList();
        if (token.KeyId is null || rsaKeys.All(k => k.Kid != token.KeyId))
            return TokenVerdict.Invalid($"no key in Identity's JWKS has kid '{token.KeyId ?? "(missing)"}': not signed by this Identity, or by a key retired long ago.");

        var parameters = new TokenValidationParameters
        {
            ValidIssuer = issuer,
            ValidateAudience = audience is not null,
            ValidAudience = audience,
            ValidAlgorithms = [RequiredAlgorithm],
            ValidTypes = [RequiredType],
            IssuerSigningKeys = rsaKeys,
            TryAllIssuerSigningKeys = false,
            RequireSignedTokens = true,
            // Lifetime is judged below against the caller's clock, so an expired but genuine token says "expired".
            ValidateLifetime = false,
            RequireExpirationTime = false,
        };
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token.Raw, parameters);
        if (!result.IsValid)
            return TokenVerdict.Invalid(Explain(result.Exception));

        return CheckClaims(token, now) ?? TokenVerdict.Valid($"signature verified with key '{token.KeyId}'; issuer, type and lifetime are right.");
    }

    private static TokenVerdict? CheckClaims(DecodedToken token, DateTimeOffset now)
    {
        var nowSeconds = now.ToUnixTimeSeconds();
        var skew = (long)ClockSkew.TotalSeconds;
        if (string.IsNullOrEmpty(token.Subject))
            return TokenVerdict.Invalid("the sub claim is missing.");
        if (string.IsNullOrEmpty(token.SessionId))
            return TokenVerdict.Invalid("the sid claim is missing.");
        if (token.Seconds("exp") is not { } expires)
            return TokenVerdict.Invalid("the exp claim is missing.");
        if (token.Seconds("nbf") is { } notBefore && notBefore > nowSeconds + skew)
            return TokenVerdict.Invalid($"nbf is {notBefore - nowSeconds} s in the future (more than the {skew} s skew allowed).");
        if (token.IssuedAt is { } issuedAt && issuedAt > nowSeconds + skew)
            return TokenVerdict.Invalid($"iat is {issuedAt - nowSeconds} s in the future (more than the {skew} s skew allowed).");
        if (expires + skew <= nowSeconds)
            return new TokenVerdict(TokenStatus.Expired, $"expired {Ago(nowSeconds - expires)} ago (signature and claims are otherwise fine).");
        return null;
    }

    private static string Ago(long seconds) =>
        seconds < 120 ? $"{seconds} s" : seconds < 7200 ? $"{seconds / 60} min" : $"{seconds / 3600} h";

    private static string Explain(Exception? error) => error switch
    {
        SecurityTokenSignatureKeyNotFoundException => "no matching key in Identity's JWKS.",
        SecurityTokenInvalidSignatureException => "the signature does not verify with Identity's key: the token was altered or forged.",
        SecurityTokenInvalidAlgorithmException => $"the algorithm is not {RequiredAlgorithm}.",
        SecurityTokenInvalidTypeException => $"typ is not '{RequiredType}': this is not an access token.",
        SecurityTokenInvalidIssuerException => "iss is not Identity's issuer.",
        SecurityTokenInvalidAudienceException => "aud does not contain the requested audience.",
        SecurityTokenMalformedException or ArgumentException or JsonException => "the token is malformed.",
        null => "rejected for an unknown reason.",
        _ => $"rejected ({error.GetType().Name}).",
    };
}
