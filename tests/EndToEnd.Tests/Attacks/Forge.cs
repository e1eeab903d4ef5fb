using System.Buffers.Text;

namespace Platform.EndToEnd.Tests.Attacks;

/// <summary>
/// What an attacker can build from a genuine token and Identity's public JWKS, without any private key: edited
/// headers and claims, other algorithms, and HMAC keyed with public material.
/// </summary>
internal static class Forge
{
    public static JsonObject Header(string jwt) => Decode(jwt.Split('.')[0]);

    public static JsonObject Claims(string jwt) => Decode(jwt.Split('.')[1]);

    public static string Encode(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));

    /// <summary>Re-encodes header and claims after <paramref name="change"/>; the signature comes from <paramref name="sign"/> or stays the original.</summary>
    public static string Token(string genuine, Action<JsonObject, JsonObject>? change = null, Func<byte[], byte[]>? sign = null)
    {
        var header = Header(genuine);
        var claims = Claims(genuine);
        change?.Invoke(header, claims);
        return Raw(header.ToJsonString(), claims.ToJsonString(), sign, genuine.Split('.')[2]);
    }

    public static string Raw(string headerJson, string claimsJson, Func<byte[], byte[]>? sign, string fallbackSignature = "")
    {
        var input = Encode(headerJson) + "." + Encode(claimsJson);
        var signature = sign is null ? fallbackSignature : Base64Url.EncodeToString(sign(Encoding.ASCII.GetBytes(input)));
        return input + "." + signature;
    }

    public static Func<byte[], byte[]> Hmac256(byte[] key) => data => HMACSHA256.HashData(key, data);

    public static Func<byte[], byte[]> Rsa(RSA key, HashAlgorithmName hash, RSASignaturePadding padding) =>
        data => key.SignData(data, hash, padding);

    /// <summary>Identity's published key as an RSA object, for the key-confusion forms (PEM, DER, modulus).</summary>
    public static RSA PublicKey(JsonObject jwk) => System.Security.Cryptography.RSA.Create(new RSAParameters
    {
        Modulus = Base64Url.DecodeFromChars((string)jwk["n"]!),
        Exponent = Base64Url.DecodeFromChars((string)jwk["e"]!),
    });

    public static JsonObject AttackerJwk(RSA key, string kid)
    {
        var parameters = key.ExportParameters(false);
        return new JsonObject
        {
            ["kty"] = "RSA", ["kid"] = kid,
            ["n"] = Base64Url.EncodeToString(parameters.Modulus), ["e"] = Base64Url.EncodeToString(parameters.Exponent),
        };
    }

    private static JsonObject Decode(string segment) =>
        JsonNode.Parse(Base64Url.DecodeFromChars(segment))!.AsObject();
}
