namespace Platform.Identity.Tests.Security;

/// <summary>
/// Identity's own API (<c>/users/me</c>) refuses malformed tokens with the resource servers' structure checks, even
/// when Identity's own key signed them, and answers every refusal alike.
/// </summary>
public sealed class OwnTokenValidationTests(IdentityApp app) : IClassFixture<IdentityApp>
{
    private readonly HttpClient _client = app.CreateClient();

    private async Task<HttpResponseMessage> MeAsync(string token) => await _client.SendAsync(HttpMethod.Get, "/users/me", token);

    [Fact]
    public async Task Raw_token_built_like_identitys_own_is_accepted_so_each_refusal_below_is_its_rule()
    {
        var tokens = await OwnTokens.ForNewUserAsync(app, _client);

        using var response = await MeAsync(tokens.Sign(tokens.Header(), tokens.Claims()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("application/at+jwt")]
    [InlineData("AT+JWT")]
    [InlineData("Application/At+Jwt")]
    public async Task Typ_in_either_rfc9068_form_and_any_case_is_accepted(string typ)
    {
        var tokens = await OwnTokens.ForNewUserAsync(app, _client);

        using var response = await MeAsync(tokens.Sign(tokens.Header(typ), tokens.Claims()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Payload_with_the_same_sub_twice_is_refused()
    {
        var tokens = await OwnTokens.ForNewUserAsync(app, _client);
        var token = tokens.Sign(tokens.Header(), tokens.Claims(extra: $"\"sub\":\"{tokens.UserId}\""));

        await tokens.AssertRefusedAsync(await MeAsync(token), token);
    }

    [Fact]
    public async Task Header_with_the_same_kid_twice_is_refused()
    {
        var tokens = await OwnTokens.ForNewUserAsync(app, _client);
        var token = tokens.Sign(tokens.Header(extra: $"\"kid\":\"{tokens.Kid}\""), tokens.Claims());

        await tokens.AssertRefusedAsync(await MeAsync(token), token);
    }

    [Theory]
    [InlineData("\"crit\":[\"exp\"]")]
    [InlineData("\"crit\":[]")]
    public async Task Crit_header_is_refused(string crit)
    {
        var tokens = await OwnTokens.ForNewUserAsync(app, _client);
        var token = tokens.Sign(tokens.Header(extra: crit), tokens.Claims());

        await tokens.AssertRefusedAsync(await MeAsync(token), token);
    }

    [Fact]
    public async Task Token_living_longer_than_identity_issues_is_refused_as_at_every_resource_server()
    {
        var tokens = await OwnTokens.ForNewUserAsync(app, _client);
        var exp = (app.Time.GetUtcNow().ToUnixTimeSeconds() + 3600).ToString();
        var token = tokens.Sign(tokens.Header(), tokens.Claims(exp: exp));

        await tokens.AssertRefusedAsync(await MeAsync(token), token);
    }

    [Fact]
    public async Task Exp_given_as_a_string_is_refused()
    {
        var tokens = await OwnTokens.ForNewUserAsync(app, _client);
        var exp = $"\"{app.Time.GetUtcNow().ToUnixTimeSeconds() + 600}\"";
        var token = tokens.Sign(tokens.Header(), tokens.Claims(exp: exp));

        await tokens.AssertRefusedAsync(await MeAsync(token), token);
    }

    [Fact]
    public async Task Token_above_the_8_kb_cap_is_401_invalid_token()
    {
        var tokens = await OwnTokens.ForNewUserAsync(app, _client);
        var token = tokens.Sign(tokens.Header(), tokens.Claims(extra: $"\"pad\":\"{new string('a', 8 * 1024)}\""));

        await tokens.AssertRefusedAsync(await MeAsync(token), token);
    }

    [Fact]
    public async Task Jwk_header_carrying_identitys_own_public_key_is_refused_even_though_the_signature_is_valid()
    {
        var tokens = await OwnTokens.ForNewUserAsync(app, _client);
        var jwk = $$"""{"kty":"RSA","kid":"{{tokens.Kid}}","n":"{{tokens.PublicModulus}}","e":"AQAB"}""";
        var token = tokens.Sign(tokens.Header(extra: $"\"jwk\":{jwk}"), tokens.Claims());

        await tokens.AssertRefusedAsync(await MeAsync(token), token);
    }

    [Theory]
    [InlineData("\"jku\":\"https://attacker.test/jwks.json\"")]
    [InlineData("\"x5u\":\"https://attacker.test/cert.pem\"")]
    [InlineData("\"x5c\":[\"MIIB\"]")]
    public async Task Other_key_bearing_headers_are_refused(string member)
    {
        var tokens = await OwnTokens.ForNewUserAsync(app, _client);
        var token = tokens.Sign(tokens.Header(extra: member), tokens.Claims());

        await tokens.AssertRefusedAsync(await MeAsync(token), token);
    }

    [Fact]
    public async Task Non_canonical_base64url_spelling_of_an_accepted_token_is_refused()
    {
        var tokens = await OwnTokens.ForNewUserAsync(app, _client);
        var token = tokens.Sign(tokens.Header(), tokens.Claims());
        var parts = token.Split('.');
        var padded = string.Join('.', parts.Select(p => p + new string('=', (4 - (p.Length % 4)) % 4)));
        Assert.NotEqual(token, padded);

        await tokens.AssertRefusedAsync(await MeAsync(padded), padded);
    }

    [Fact]
    public async Task Unknown_kid_is_refused_without_saying_the_key_was_not_found()
    {
        var tokens = await OwnTokens.ForNewUserAsync(app, _client);
        var header = $$"""{"alg":"RS256","kid":"{{Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16))}}","typ":"at+jwt"}""";
        var token = tokens.Sign(header, tokens.Claims());

        using var response = await MeAsync(token);

        await tokens.AssertRefusedAsync(response, token);
        Assert.DoesNotContain("error_description", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_without_a_token_gets_a_bare_bearer_challenge_and_a_problem()
    {
        using var response = await _client.GetAsync("/users/me");

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
    }
}
