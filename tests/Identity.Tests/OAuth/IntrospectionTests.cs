using static Platform.Identity.Tests.OAuth.ClientCredentialsTests;

namespace Platform.Identity.Tests.OAuth;

/// <summary>RFC 7662 at /connect/introspect: client-authenticated, and exactly {active:false} for anything not usable now.</summary>
public sealed class IntrospectionTests(OAuthApp app) : IClassFixture<OAuthApp>
{
    private readonly HttpClient _http = app.CreateClient();

    [Fact]
    public async Task A_users_access_and_refresh_tokens_are_active_with_their_claims()
    {
        var caller = await _http.RegisterClientAsync();
        var (user, tokens) = await _http.NewUserAsync();

        var access = await IntrospectAsync(caller, tokens.AccessToken);
        var refresh = await IntrospectAsync(caller, tokens.RefreshToken);

        Assert.True(access.GetProperty("active").GetBoolean());
        Assert.Equal("access_token", access.GetProperty("token_type").GetString());
        Assert.Equal(user.Id.ToString(), access.GetProperty("sub").GetString());
        Assert.Equal(Jwks.Read(tokens.AccessToken).GetClaim("sid").Value, access.GetProperty("sid").GetString());
        Assert.Equal("orders:read orders:write", access.GetProperty("scope").GetString());
        Assert.Equal("orders", access.GetProperty("aud")[0].GetString());
        Assert.Equal(OAuthApp.LoopbackIssuer, access.GetProperty("iss").GetString());
        Assert.True(access.GetProperty("exp").GetInt64() > access.GetProperty("iat").GetInt64());
        Assert.False(access.TryGetProperty("client_id", out _));
        Assert.True(refresh.GetProperty("active").GetBoolean());
        Assert.Equal("refresh_token", refresh.GetProperty("token_type").GetString());
        Assert.Equal(user.Id.ToString(), refresh.GetProperty("sub").GetString());
    }

    [Fact]
    public async Task A_client_token_is_active_with_client_id_until_the_client_is_disabled()
    {
        var caller = await _http.RegisterClientAsync();
        var subject = await _http.RegisterClientAsync(scopes: ["ssf:manage"], audiences: ["identity"]);
        var token = await _http.ClientTokenAsync(subject);

        var before = await IntrospectAsync(caller, token);
        var admin = (await _http.LoginAdminAsync()).AccessToken;
        await _http.SendAsync(HttpMethod.Post, $"/admin/clients/{subject.Id}/disable", admin);
        var after = await IntrospectAsync(caller, token);

        Assert.True(before.GetProperty("active").GetBoolean());
        Assert.Equal(subject.Id, before.GetProperty("client_id").GetString());
        Assert.Equal(subject.Id, before.GetProperty("sub").GetString());
        Assert.Equal("ssf:manage", before.GetProperty("scope").GetString());
        Assert.False(before.TryGetProperty("sid", out _));
        AssertInactive(after);
    }

    [Fact]
    public async Task Revoked_consumed_deactivated_expired_and_forged_tokens_are_inactive()
    {
        var caller = await _http.RegisterClientAsync();
        var admin = (await _http.LoginAdminAsync()).AccessToken;
        var (_, revoked) = await _http.NewUserAsync();
        await _http.PostFormAsync("/connect/revocation", Form(("token", revoked.RefreshToken)));
        var (_, consumed) = await _http.NewUserAsync();
        await _http.PostFormAsync("/connect/token", Form(("grant_type", "refresh_token"), ("refresh_token", consumed.RefreshToken)));
        var (deactivatedUser, deactivated) = await _http.NewUserAsync();
        await _http.SendAsync(HttpMethod.Post, $"/admin/users/{deactivatedUser.Id}/deactivate", admin, new { reason = "test" });
        // A live user's header and claims under a signature of another key.
        var (_, live) = await _http.NewUserAsync();
        var forged = string.Join('.', live.AccessToken.Split('.')[..2]) + "." + Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(256));

        AssertInactive(await IntrospectAsync(caller, revoked.AccessToken));
        AssertInactive(await IntrospectAsync(caller, revoked.RefreshToken));
        AssertInactive(await IntrospectAsync(caller, consumed.RefreshToken));
        AssertInactive(await IntrospectAsync(caller, deactivated.AccessToken));
        AssertInactive(await IntrospectAsync(caller, deactivated.RefreshToken));
        AssertInactive(await IntrospectAsync(caller, forged));
        AssertInactive(await IntrospectAsync(caller, "unknown"));

        var (_, aging) = await _http.NewUserAsync();
        app.Time.Advance(TimeSpan.FromMinutes(11));
        AssertInactive(await IntrospectAsync(caller, aging.AccessToken));
    }

    [Fact]
    public async Task Introspection_without_client_authentication_is_invalid_client()
    {
        var (_, tokens) = await _http.NewUserAsync();

        var anonymous = await _http.PostFormAsync("/connect/introspect", Form(("token", tokens.AccessToken)));
        var wrong = await _http.PostFormAsync("/connect/introspect", Form(("token", tokens.AccessToken)), OAuthCalls.Basic(Guid.NewGuid().ToString(), "guess"));

        await anonymous.AssertOAuthErrorAsync(HttpStatusCode.Unauthorized, "invalid_client");
        await wrong.AssertOAuthErrorAsync(HttpStatusCode.Unauthorized, "invalid_client");
        Assert.Equal("Basic", wrong.Headers.WwwAuthenticate.Single().Scheme);
    }

    private async Task<JsonElement> IntrospectAsync(RegisteredClient caller, string token)
    {
        var response = await _http.PostFormAsync("/connect/introspect", Form(("token", token)), OAuthCalls.Basic(caller.Id, caller.ClientSecret));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    private static void AssertInactive(JsonElement answer) => Assert.Equal("""{"active":false}""", answer.GetRawText());
}
