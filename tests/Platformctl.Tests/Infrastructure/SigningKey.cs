using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace Platform.Platformctl.Tests.Infrastructure;

/// <summary>An RSA key of the test's own, its public JWKS, and tokens shaped like Identity's (or deliberately not).</summary>
public sealed class SigningKey
{
    public const string Issuer = "http://identity.test";

    public SigningKey(string kid = "test-key")
    {
        Kid = kid;
        Key = new RsaSecurityKey(RSA.Create(2048)) { KeyId = kid };
    }

    public string Kid { get; }

    public RsaSecurityKey Key { get; }

    public string JwksJson()
    {
        var parameters = Key.Rsa.ExportParameters(false);
        var key = new { kty = "RSA", use = "sig", alg = "RS256", kid = Kid, n = Base64UrlEncoder.Encode(parameters.Modulus), e = Base64UrlEncoder.Encode(parameters.Exponent) };
        return JsonSerializer.Serialize(new { keys = new[] { key } });
    }

    public JsonWebKeySet Jwks() => new(JwksJson());

    public string CreateToken(
        DateTimeOffset? issuedAt = null,
        TimeSpan? lifetime = null,
        string type = "at+jwt",
        string issuer = Issuer,
        string algorithm = SecurityAlgorithms.RsaSha256,
        bool withSid = true,
        Guid? subject = null,
        Guid? session = null) =>
        new AccessTokenBuilder(Key.Rsa, Kid, issuer).Mint(subject, session, lifetime: lifetime, issuedAt: issuedAt, alg: algorithm,
            change: (header, claims) =>
            {
                header["typ"] = type;
                if (!withSid)
                    claims["sid"] = null;
            });

    /// <summary>The same token with one claim changed and the original signature kept.</summary>
    public static string Tamper(string token, string claim, string value)
    {
        var parts = token.Split('.');
        var claims = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(Base64UrlEncoder.Decode(parts[1]))!;
        claims[claim] = JsonSerializer.SerializeToElement(value);
        parts[1] = Base64UrlEncoder.Encode(JsonSerializer.Serialize(claims));
        return string.Join('.', parts);
    }
}
