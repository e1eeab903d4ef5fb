namespace Platform.Identity.Tests;

public sealed class SessionTests(IdentityApp app) : IClassFixture<IdentityApp>
{
    private readonly HttpClient _client = app.CreateClient();

    [Fact]
    public async Task Refresh_rotates_the_refresh_token_and_keeps_the_session()
    {
        var (_, first) = await _client.NewUserAsync();

        var response = await _client.PostAsJsonAsync("/auth/refresh", new { refreshToken = first.RefreshToken });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore);
        var second = (await response.Content.ReadFromJsonAsync<Infrastructure.Tokens>())!;
        Assert.NotEqual(first.RefreshToken, second.RefreshToken);
        Assert.Equal(Jwks.Read(first.AccessToken).GetClaim("sid").Value, Jwks.Read(second.AccessToken).GetClaim("sid").Value);
        Assert.True((await Jwks.ValidateAsync(_client, second.AccessToken, app.Time)).IsValid);
        Assert.Equal(HttpStatusCode.OK, (await _client.PostAsJsonAsync("/auth/refresh", new { refreshToken = second.RefreshToken })).StatusCode);
    }

    [Fact]
    public async Task Reusing_a_rotated_refresh_token_revokes_the_session_and_publishes_SessionRevoked()
    {
        var (user, first) = await _client.NewUserAsync();
        var second = (await (await _client.PostAsJsonAsync("/auth/refresh", new { refreshToken = first.RefreshToken })).Content.ReadFromJsonAsync<Infrastructure.Tokens>())!;
        var sessionId = Guid.Parse(Jwks.Read(first.AccessToken).GetClaim("sid").Value);

        var reuse = await _client.PostAsJsonAsync("/auth/refresh", new { refreshToken = first.RefreshToken });

        await reuse.AssertProblemAsync(HttpStatusCode.Unauthorized);
        var revoked = await app.Events.WaitForAsync<SessionRevoked>(e => e.SessionId == sessionId);
        Assert.Equal("refresh-reuse", revoked.Reason);
        Assert.Equal(user.Id, revoked.UserId);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _client.PostAsJsonAsync("/auth/refresh", new { refreshToken = second.RefreshToken })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _client.SendAsync(HttpMethod.Get, "/users/me", second.AccessToken)).StatusCode);
    }

    [Fact]
    public async Task Unknown_or_missing_refresh_tokens_answer_401_and_400()
    {
        var unknown = await _client.PostAsJsonAsync("/auth/refresh", new { refreshToken = "x" + Guid.NewGuid() });
        var missing = await _client.PostAsJsonAsync("/auth/refresh", new { });

        await unknown.AssertProblemAsync(HttpStatusCode.Unauthorized);
        await missing.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Refresh_tokens_are_stored_only_as_sha256_hashes()
    {
        var (_, tokens) = await _client.NewUserAsync();
        var sessionId = Guid.Parse(Jwks.Read(tokens.AccessToken).GetClaim("sid").Value);

        await using var scope = app.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<IdentityDb>().RefreshTokens.Where(t => t.SessionId == sessionId).ToListAsync();
        var row = Assert.Single(stored);
        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(tokens.RefreshToken)), row.Hash);
    }

    [Fact]
    public async Task Logout_revokes_the_session_its_tokens_and_publishes_SessionRevoked()
    {
        var (_, tokens) = await _client.NewUserAsync();
        var sessionId = Guid.Parse(Jwks.Read(tokens.AccessToken).GetClaim("sid").Value);

        var response = await _client.SendAsync(HttpMethod.Post, "/auth/logout", tokens.AccessToken);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _client.SendAsync(HttpMethod.Get, "/users/me", tokens.AccessToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _client.PostAsJsonAsync("/auth/refresh", new { refreshToken = tokens.RefreshToken })).StatusCode);
        Assert.Equal("logout", (await app.Events.WaitForAsync<SessionRevoked>(e => e.SessionId == sessionId)).Reason);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _client.PostAsync("/auth/logout", null)).StatusCode);
    }

    [Fact]
    public async Task Every_login_creates_its_own_session_named_by_sid()
    {
        var email = IdentityClient.NewEmail();
        await _client.SignUpAsync(email);

        var a = await _client.LoginAsync(email);
        var b = await _client.LoginAsync(email);

        Assert.NotEqual(Jwks.Read(a.AccessToken).GetClaim("sid").Value, Jwks.Read(b.AccessToken).GetClaim("sid").Value);
    }
}
