namespace Platform.ResourceServer.Tests.Security;

/// <summary>Builds tokens from raw JSON (so duplicates, odd types and escapes survive) and checks how the API refuses them.</summary>
internal static class HostileTokens
{
    public static long Now => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    public static string Header(TestTokenIssuer issuer, string typ = "at+jwt", string alg = "RS256", string? extra = null) =>
        issuer.Tokens.HeaderJson(typ, alg, extra);

    /// <summary>The claims Identity writes, as JSON text; <paramref name="extra"/> is appended verbatim.</summary>
    public static string Claims(TestTokenIssuer issuer, string? extra = null, Guid? userId = null) =>
        issuer.Tokens.ClaimsJson(extra, userId);

    /// <summary>Signs exactly these bytes with the trusted key, so only the rule under test can refuse the token.</summary>
    public static string SignRaw(TestTokenIssuer issuer, string headerJson, string payloadJson) =>
        issuer.Tokens.SignRaw(headerJson, payloadJson);

    public static string SignRaw(TestTokenIssuer issuer, byte[] header, byte[] payload) => issuer.Tokens.SignRaw(header, payload);

    public static async Task<HttpResponseMessage> GetAsync(ResourceServerFixture fixture, string token)
    {
        using var client = fixture.App.ClientWith(token);
        return await client.GetAsync(ResourceServerApp.Path);
    }

    public static async Task AssertAcceptedAsync(ResourceServerFixture fixture, string token)
    {
        using var response = await GetAsync(fixture, token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>401, invalid_token, a problem body that names neither the token nor any key, no library error codes.</summary>
    public static async Task AssertRejectedAsync(ResourceServerFixture fixture, string token)
    {
        using var response = await GetAsync(fixture, token);
        await AssertInvalidTokenAsync(fixture, response, token);
    }

    public static async Task AssertInvalidTokenAsync(ResourceServerFixture fixture, HttpResponseMessage response, string token)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        foreach (var part in token.Split('.').Where(p => p.Length >= 8))
            Assert.DoesNotContain(part[..8], body, StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.Issuer.Kid, body, StringComparison.Ordinal);
        Assert.DoesNotContain(Base64UrlEncoder.Encode(fixture.Issuer.Key.ExportParameters(false).Modulus), body, StringComparison.Ordinal);
        Assert.DoesNotContain("IDX", body, StringComparison.Ordinal);
    }

    public static byte[] SignWith(RSA key, byte[] data, HashAlgorithmName hash, RSASignaturePadding padding) =>
        key.SignData(data, hash, padding);
}
