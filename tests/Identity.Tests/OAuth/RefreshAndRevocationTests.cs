using static Platform.Identity.Tests.OAuth.ClientCredentialsTests;

namespace Platform.Identity.Tests.OAuth;

/// <summary>The refresh grant at /connect/token and RFC 7009 revocation at /connect/revocation.</summary>
public sealed class RefreshAndRevocationTests(OAuthApp app) : IClassFixture<OAuthApp>
{
    private readonly HttpClient _http = app.CreateClient();

    [Fact]
    public async Task The_refresh_grant_rotates_the_refresh_token_as_auth_refresh_does()
    {
        var (_, tokens) = await _http.NewUserAsync();

        var response = await _http.PostFormAsync("/connect/token", Form(("grant_type", "refresh_token"), ("refresh_token", tokens.RefreshToken),
            ("client_id", "public-app"), ("resource", "identity")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.NotEqual(tokens.RefreshToken, body.GetProperty("refresh_token").GetString());
        Assert.Equal("orders:read orders:write", body.GetProperty("scope").GetString());
        Assert.Equal(["identity"], Jwks.Read(body.GetProperty("access_token").GetString()!).Audiences);
    }

    [Fact]
    public async Task A_replayed_refresh_token_is_invalid_grant_and_ends_the_session()
    {
        var (_, tokens) = await _http.NewUserAsync();
        var sessionId = Guid.Parse(Jwks.Read(tokens.AccessToken).GetClaim("sid").Value);
        var first = await _http.PostFormAsync("/connect/token", Form(("grant_type", "refresh_token"), ("refresh_token", tokens.RefreshToken)));
        var rotated = (await first.JsonAsync()).GetProperty("refresh_token").GetString()!;

        var replay = await _http.PostFormAsync("/connect/token", Form(("grant_type", "refresh_token"), ("refresh_token", tokens.RefreshToken)));

        await replay.AssertOAuthErrorAsync(HttpStatusCode.BadRequest, "invalid_grant");
        await app.Events.WaitForAsync<SessionRevoked>(e => e.SessionId == sessionId && e.Reason == SessionRevokedReasons.RefreshReuse);
        var afterTheft = await _http.PostFormAsync("/connect/token", Form(("grant_type", "refresh_token"), ("refresh_token", rotated)));
        await afterTheft.AssertOAuthErrorAsync(HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task Revoking_a_refresh_token_ends_its_session_everywhere()
    {
        var (_, tokens) = await _http.NewUserAsync();
        var sessionId = Guid.Parse(Jwks.Read(tokens.AccessToken).GetClaim("sid").Value);

        var response = await _http.PostFormAsync("/connect/revocation", Form(("token", tokens.RefreshToken), ("token_type_hint", "refresh_token")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await app.Events.WaitForAsync<SessionRevoked>(e => e.SessionId == sessionId && e.Reason == SessionRevokedReasons.TokenRevoked);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _http.SendAsync(HttpMethod.Get, "/users/me", tokens.AccessToken)).StatusCode);
        var refresh = await _http.PostFormAsync("/connect/token", Form(("grant_type", "refresh_token"), ("refresh_token", tokens.RefreshToken)));
        await refresh.AssertOAuthErrorAsync(HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task Revoking_an_access_token_ends_its_session()
    {
        var (_, tokens) = await _http.NewUserAsync();
        var sessionId = Guid.Parse(Jwks.Read(tokens.AccessToken).GetClaim("sid").Value);

        var response = await _http.PostFormAsync("/connect/revocation", Form(("token", tokens.AccessToken)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await app.Events.WaitForAsync<SessionRevoked>(e => e.SessionId == sessionId && e.Reason == SessionRevokedReasons.TokenRevoked);
    }

    [Fact]
    public async Task A_forged_access_token_revokes_nothing()
    {
        var (_, tokens) = await _http.NewUserAsync();
        var parts = tokens.AccessToken.Split('.');
        // The victim's own header and claims under a signature of another key: the session it names must stay open.
        using var rsa = RSA.Create(2048);
        var signature = rsa.SignData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var forged = parts[0] + "." + parts[1] + "." + Base64UrlEncoder.Encode(signature);

        var response = await _http.PostFormAsync("/connect/revocation", Form(("token", forged)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _http.SendAsync(HttpMethod.Get, "/users/me", tokens.AccessToken)).StatusCode);
        var refresh = await _http.PostFormAsync("/connect/token", Form(("grant_type", "refresh_token"), ("refresh_token", tokens.RefreshToken)));
        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
    }

    [Fact]
    public async Task Unknown_tokens_are_answered_200_and_a_missing_token_is_invalid_request()
    {
        Assert.Equal(HttpStatusCode.OK, (await _http.PostFormAsync("/connect/revocation", Form(("token", "not-a-token")))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _http.PostFormAsync("/connect/revocation", Form(("token", "a.b.c")))).StatusCode);
        await (await _http.PostFormAsync("/connect/revocation", Form(("token_type_hint", "access_token"))))
            .AssertOAuthErrorAsync(HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task A_client_may_revoke_no_users_token_and_its_own_token_is_an_unsupported_type()
    {
        var client = await _http.RegisterClientAsync();
        var (_, tokens) = await _http.NewUserAsync();
        var own = await _http.ClientTokenAsync(client);

        var users = await _http.PostFormAsync("/connect/revocation", Form(("token", tokens.RefreshToken)), OAuthCalls.Basic(client.Id, client.ClientSecret));
        var ownToken = await _http.PostFormAsync("/connect/revocation", Form(("token", own)), OAuthCalls.Basic(client.Id, client.ClientSecret));
        var wrongSecret = await _http.PostFormAsync("/connect/revocation", Form(("token", tokens.RefreshToken)), OAuthCalls.Basic(client.Id, "guess"));

        await users.AssertOAuthErrorAsync(HttpStatusCode.BadRequest, "unauthorized_client");
        await ownToken.AssertOAuthErrorAsync(HttpStatusCode.BadRequest, "unsupported_token_type");
        await wrongSecret.AssertOAuthErrorAsync(HttpStatusCode.Unauthorized, "invalid_client");
        var refresh = await _http.PostFormAsync("/connect/token", Form(("grant_type", "refresh_token"), ("refresh_token", tokens.RefreshToken)));
        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
    }
}
