using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Platform.Testing;

/// <summary>
/// Mints access tokens shaped exactly like Identity's (docs/ARCHITECTURE.md, "Tokens"): header alg RS256, kid and
/// typ at+jwt; claims iss, sub (a user id), aud ["orders"], exp, iat, nbf, jti, sid (a session id), scope and role.
/// Header and claims are plain dictionaries a test may edit before signing (a <c>null</c> value drops the member), and
/// raw JSON is signed as given so duplicates, escapes and odd types survive. Every test suite and the benchmarks mint
/// through this one type, so a change to the token contract is one edit here.
/// </summary>
public sealed class AccessTokenBuilder(RSA key, string kid, string issuer, TimeProvider? time = null)
{
    public const string DefaultScope = "orders:read orders:write";

    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(10);

    public RSA Key { get; } = key;

    public string Kid { get; } = kid;

    public string Issuer { get; } = issuer;

    public TimeProvider Time { get; } = time ?? TimeProvider.System;

    public long Now => Time.GetUtcNow().ToUnixTimeSeconds();

    public Dictionary<string, object?> Header(string alg = "RS256", string? typ = "at+jwt") =>
        new() { ["alg"] = alg, ["kid"] = Kid, ["typ"] = typ };

    public Dictionary<string, object?> Claims(
        Guid? subject = null, Guid? session = null, string scope = DefaultScope, TimeSpan? lifetime = null,
        DateTimeOffset? issuedAt = null, string[]? roles = null)
    {
        var iat = (issuedAt ?? Time.GetUtcNow()).ToUnixTimeSeconds();
        return new()
        {
            ["iss"] = Issuer,
            ["sub"] = (subject ?? Guid.NewGuid()).ToString(),
            ["aud"] = new[] { "orders" },
            ["exp"] = iat + (long)(lifetime ?? DefaultLifetime).TotalSeconds,
            ["iat"] = iat,
            ["nbf"] = iat,
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["sid"] = (session ?? Guid.NewGuid()).ToString(),
            ["scope"] = scope,
            ["role"] = roles ?? [],
        };
    }

    /// <summary>A token as Identity issues it; <paramref name="change"/> edits header or claims before signing.</summary>
    public string Mint(
        Guid? subject = null, Guid? session = null, string scope = DefaultScope, TimeSpan? lifetime = null,
        DateTimeOffset? issuedAt = null, string alg = "RS256",
        Action<Dictionary<string, object?>, Dictionary<string, object?>>? change = null, Func<byte[], byte[]>? sign = null)
    {
        var header = Header(alg);
        var claims = Claims(subject, session, scope, lifetime, issuedAt);
        change?.Invoke(header, claims);
        return Sign(header, claims, sign);
    }

    /// <summary>Serializes both parts (members set to <c>null</c> left out) and signs them, with <paramref name="sign"/> if given.</summary>
    public string Sign(Dictionary<string, object?> header, Dictionary<string, object?> claims, Func<byte[], byte[]>? sign = null) =>
        SignRaw(Json(header), Json(claims), sign ?? SignerFor(header.GetValueOrDefault("alg") as string));

    /// <summary>The header as JSON text; <paramref name="extra"/> is appended verbatim as further members.</summary>
    public string HeaderJson(string typ = "at+jwt", string alg = "RS256", string? extra = null) =>
        $$"""{"alg":"{{alg}}","kid":"{{Kid}}","typ":"{{typ}}"{{Append(extra)}}}""";

    /// <summary>The default claims as JSON text; <paramref name="extra"/> is appended verbatim as further members.</summary>
    public string ClaimsJson(string? extra = null, Guid? subject = null) =>
        Encoding.UTF8.GetString(Json(Claims(subject)))[..^1] + Append(extra) + "}";

    /// <summary>Signs exactly these bytes with the trusted key, so only the rule under test can refuse the token.</summary>
    public string SignRaw(string headerJson, string payloadJson) =>
        SignRaw(Encoding.UTF8.GetBytes(headerJson), Encoding.UTF8.GetBytes(payloadJson));

    public string SignRaw(byte[] header, byte[] payload, Func<byte[], byte[]>? sign = null)
    {
        var input = Base64Url.EncodeToString(header) + "." + Base64Url.EncodeToString(payload);
        return input + "." + Base64Url.EncodeToString((sign ?? SignRs256)(Encoding.ASCII.GetBytes(input)));
    }

    public byte[] SignRs256(byte[] data) => Key.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    /// <summary>The trusted key for the RSASSA-PKCS1 algorithms a test may name; anything else is signed as RS256.</summary>
    private Func<byte[], byte[]> SignerFor(string? alg) => alg switch
    {
        "RS384" => data => Key.SignData(data, HashAlgorithmName.SHA384, RSASignaturePadding.Pkcs1),
        "RS512" => data => Key.SignData(data, HashAlgorithmName.SHA512, RSASignaturePadding.Pkcs1),
        _ => SignRs256,
    };

    private static byte[] Json(Dictionary<string, object?> members) =>
        JsonSerializer.SerializeToUtf8Bytes(members.Where(m => m.Value is not null).ToDictionary());

    private static string Append(string? extra) => extra is null ? "" : "," + extra;
}
