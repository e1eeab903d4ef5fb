using Platform.Identity.SigningKeys;

namespace Platform.Identity.Tests.Security;

/// <summary>
/// Tokens built from raw JSON (so duplicates, odd types and extra header members survive serialisation) and signed
/// with Identity's own signing key, so the signature is valid and only the rule under test can refuse them.
/// </summary>
internal sealed class OwnTokens(IdentityApp app, Guid userId, Guid sessionId)
{
    private readonly LoadedKey _key = app.Services.GetRequiredService<SigningKeyStore>().SigningKey
        ?? throw new InvalidOperationException("Identity has no signing key.");

    public string Kid => _key.Id;

    public Guid UserId => userId;

    public string PublicModulus => _key.Modulus;

    /// <summary>A live session of a new user, so a token that passes the structure checks also passes the session check.</summary>
    public static async Task<OwnTokens> ForNewUserAsync(IdentityApp app, HttpClient client)
    {
        var (user, tokens) = await client.NewUserAsync();
        return new OwnTokens(app, user.Id, Guid.Parse(Jwks.Read(tokens.AccessToken).GetClaim("sid").Value));
    }

    public string Header(string typ = "at+jwt", string? extra = null) =>
        $$"""{"alg":"RS256","kid":"{{Kid}}","typ":"{{typ}}"{{(extra is null ? "" : "," + extra)}}}""";

    /// <summary>The claims Identity writes, as JSON text; <paramref name="extra"/> is appended verbatim.</summary>
    public string Claims(string? extra = null, string? exp = null)
    {
        var now = app.Time.GetUtcNow().ToUnixTimeSeconds();
        return $$"""{"iss":"{{IdentityApp.Issuer}}","sub":"{{userId}}","aud":["orders"],"exp":{{exp ?? (now + 600).ToString()}},"iat":{{now}},"nbf":{{now}},"jti":"{{Guid.NewGuid():N}}","sid":"{{sessionId}}","scope":"orders:read orders:write","role":[]{{(extra is null ? "" : "," + extra)}}}""";
    }

    public string Sign(string headerJson, string payloadJson)
    {
        var input = Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(headerJson)) + "." + Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(payloadJson));
        var signature = _key.PrivateKey.Rsa.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return input + "." + Base64UrlEncoder.Encode(signature);
    }

    /// <summary>401, a bare <c>invalid_token</c> challenge, a problem body naming neither the token nor any key nor a library error.</summary>
    public async Task AssertRefusedAsync(HttpResponseMessage response, string token)
    {
        var problem = await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal("A valid access token is required.", problem.GetProperty("detail").GetString());
        var body = problem.GetRawText();
        foreach (var part in token.Split('.').Where(p => p.Length >= 8))
            Assert.DoesNotContain(part[..8], body, StringComparison.Ordinal);
        Assert.DoesNotContain(Kid, body, StringComparison.Ordinal);
        Assert.DoesNotContain(PublicModulus[..16], body, StringComparison.Ordinal);
        Assert.DoesNotContain("IDX", body, StringComparison.Ordinal);
        Assert.DoesNotContain("signature", body, StringComparison.OrdinalIgnoreCase);
    }
}
