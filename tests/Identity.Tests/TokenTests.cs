using Microsoft.IdentityModel.JsonWebTokens;

namespace Platform.Identity.Tests;

public sealed class TokenTests(IdentityApp app) : IClassFixture<IdentityApp>
{
    private readonly HttpClient _client = app.CreateClient();

    [Fact]
    public async Task Access_token_validates_with_the_published_jwks_and_carries_exactly_the_contract_claims()
    {
        var (user, tokens) = await _client.NewUserAsync();

        var result = await Jwks.ValidateAsync(_client, tokens.AccessToken, app.Time);

        Assert.True(result.IsValid, result.Exception?.Message);
        var jwt = Jwks.Read(tokens.AccessToken);
        Assert.Equal("RS256", jwt.Alg);
        Assert.Equal("at+jwt", jwt.Typ);
        Assert.False(string.IsNullOrEmpty(jwt.Kid));
        Assert.Equal(IdentityApp.Issuer, jwt.Issuer);
        Assert.Equal(user.Id.ToString(), jwt.Subject);
        Assert.True(Guid.TryParse(jwt.GetClaim("sid").Value, out _));
        Assert.False(string.IsNullOrEmpty(jwt.Id));
        Assert.Equal("orders:read orders:write", jwt.GetClaim("scope").Value);
        var payload = JsonDocument.Parse(Base64UrlEncoder.Decode(jwt.EncodedPayload)).RootElement;
        Assert.Equal(JsonValueKind.Array, payload.GetProperty("aud").ValueKind);
        Assert.Equal(["orders"], payload.GetProperty("aud").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(JsonValueKind.Array, payload.GetProperty("role").ValueKind);
        Assert.Equal(600, payload.GetProperty("exp").GetInt64() - payload.GetProperty("iat").GetInt64());
        Assert.True(payload.TryGetProperty("nbf", out _));
        Assert.DoesNotContain("@", Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(jwt.EncodedPayload)));
    }

    [Fact]
    public async Task Login_answers_bearer_tokens_that_must_not_be_cached()
    {
        var email = IdentityClient.NewEmail();
        await _client.SignUpAsync(email);

        var response = await _client.PostAsJsonAsync("/auth/login", new { email, password = IdentityClient.Password });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore);
        var body = await response.JsonAsync();
        Assert.Equal("Bearer", body.GetProperty("tokenType").GetString());
        Assert.Equal(600, body.GetProperty("expiresIn").GetInt32());
        Assert.True(body.GetProperty("refreshToken").GetString()!.Length >= 43); // 256 bits, base64url
    }

    [Fact]
    public async Task Jwks_publishes_only_public_rsa_parameters_with_a_cache_lifetime()
    {
        var response = await _client.GetAsync("/.well-known/jwks.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.Public);
        Assert.Equal(TimeSpan.FromMinutes(5), response.Headers.CacheControl?.MaxAge);
        var keys = (await response.JsonAsync()).GetProperty("keys").EnumerateArray().ToList();
        Assert.NotEmpty(keys);
        foreach (var key in keys)
        {
            Assert.Equal(["alg", "e", "kid", "kty", "n", "use"], key.EnumerateObject().Select(p => p.Name).Order());
            Assert.Equal("RSA", key.GetProperty("kty").GetString());
            Assert.Equal("RS256", key.GetProperty("alg").GetString());
            Assert.True(Base64UrlEncoder.DecodeBytes(key.GetProperty("n").GetString()).Length >= 256);
        }
    }

    [Fact]
    public async Task Discovery_document_names_the_issuer_jwks_and_rs256()
    {
        var document = await (await _client.GetAsync("/.well-known/openid-configuration")).JsonAsync();

        Assert.Equal(IdentityApp.Issuer, document.GetProperty("issuer").GetString());
        Assert.Equal(IdentityApp.Issuer + "/.well-known/jwks.json", document.GetProperty("jwks_uri").GetString());
        Assert.Equal(["RS256"], document.GetProperty("id_token_signing_alg_values_supported").EnumerateArray().Select(a => a.GetString()));
    }

    [Fact]
    public async Task Tokens_with_alg_none_hs256_or_a_forged_signature_are_refused_with_invalid_token()
    {
        var (_, tokens) = await _client.NewUserAsync();
        var jwt = Jwks.Read(tokens.AccessToken);
        var header = Base64UrlEncoder.Decode(jwt.EncodedHeader);
        var none = Base64UrlEncoder.Encode(header.Replace("RS256", "none", StringComparison.Ordinal)) + "." + jwt.EncodedPayload + ".";
        var hs256 = new JsonWebTokenHandler().CreateToken(Base64UrlEncoder.Decode(jwt.EncodedPayload),
            new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(new string('k', 64))) { KeyId = jwt.Kid }, SecurityAlgorithms.HmacSha256),
            new Dictionary<string, object> { ["typ"] = "at+jwt" });
        var forged = jwt.EncodedHeader + "." + jwt.EncodedPayload + "." + Base64UrlEncoder.Encode(new byte[256]);

        foreach (var token in new[] { none, hs256, forged, "not-a-token" })
        {
            var response = await _client.SendAsync(HttpMethod.Get, "/users/me", token);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Me_answers_the_profile_for_a_token_and_401_without_one()
    {
        var (user, tokens) = await _client.NewUserAsync();

        var me = await (await _client.SendAsync(HttpMethod.Get, "/users/me", tokens.AccessToken)).JsonAsync();
        var anonymous = await _client.GetAsync("/users/me");

        Assert.Equal(user.Id, me.GetProperty("id").GetGuid());
        Assert.Equal(user.Email, me.GetProperty("email").GetString());
        Assert.Empty(me.GetProperty("roles").EnumerateArray());
        await anonymous.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }
}
