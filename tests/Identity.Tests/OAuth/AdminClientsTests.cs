namespace Platform.Identity.Tests.OAuth;

/// <summary>Operators register, list, rotate and disable service clients; nobody else may, and client tokens act as no user.</summary>
public sealed class AdminClientsTests(OAuthApp app) : IClassFixture<OAuthApp>
{
    private readonly HttpClient _http = app.CreateClient();

    [Fact]
    public async Task A_registered_client_is_listed_and_shown_without_its_secret_and_audited()
    {
        var admin = (await _http.LoginAdminAsync()).AccessToken;
        var client = await _http.RegisterClientAsync(scopes: ["orders:read", "ssf:manage"], audiences: ["orders", "identity"], adminToken: admin);

        var shown = await (await _http.SendAsync(HttpMethod.Get, $"/admin/clients/{client.Id}", admin)).JsonAsync();
        var listed = await (await _http.SendAsync(HttpMethod.Get, "/admin/clients?pageSize=100", admin)).JsonAsync();

        Assert.Equal(43, client.ClientSecret.Length);
        Assert.Equal(["orders:read", "ssf:manage"], client.Scopes);
        Assert.Equal(client.Id, shown.GetProperty("clientId").GetString());
        Assert.Equal("billing sync", shown.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, shown.GetProperty("disabledAt").ValueKind);
        Assert.Contains(listed.GetProperty("items").EnumerateArray(), c => c.GetProperty("clientId").GetString() == client.Id);
        Assert.DoesNotContain(client.ClientSecret, shown.GetRawText() + listed.GetRawText(), StringComparison.Ordinal);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
        Assert.True(await db.AuditRecords.AnyAsync(a => a.Action == "create-client" && a.Target == client.Id));
        Assert.NotEqual(Encoding.UTF8.GetBytes(client.ClientSecret), (await db.ServiceClients.SingleAsync(c => c.Id == client.ClientId)).SecretHash);
    }

    [Theory]
    [InlineData("""{"name":"","scopes":["orders:read"],"audiences":["orders"]}""", "name")]
    [InlineData("""{"name":"x","scopes":["admin"],"audiences":["orders"]}""", "scopes")]
    [InlineData("""{"name":"x","scopes":[],"audiences":["orders"]}""", "scopes")]
    [InlineData("""{"name":"x","scopes":["orders:read"],"audiences":["https://elsewhere.example"]}""", "audiences")]
    [InlineData("""{"name":"x","scopes":["orders:read"]}""", "audiences")]
    public async Task A_registration_with_unknown_scopes_or_audiences_is_a_400(string body, string field)
    {
        var admin = (await _http.LoginAdminAsync()).AccessToken;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/admin/clients") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new("Bearer", admin);

        var problem = await (await _http.SendAsync(request)).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task Unknown_clients_are_404_and_a_users_or_clients_token_is_no_operator()
    {
        var admin = (await _http.LoginAdminAsync()).AccessToken;
        var (_, user) = await _http.NewUserAsync();
        var client = await _http.RegisterClientAsync(scopes: ["ssf:manage"], audiences: ["identity"], adminToken: admin);
        var clientToken = await _http.ClientTokenAsync(client);

        await (await _http.SendAsync(HttpMethod.Get, $"/admin/clients/{Guid.NewGuid()}", admin)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await _http.SendAsync(HttpMethod.Post, $"/admin/clients/{Guid.NewGuid()}/disable", admin)).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.Forbidden, (await _http.SendAsync(HttpMethod.Get, "/admin/clients", user.AccessToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _http.SendAsync(HttpMethod.Get, "/admin/clients", clientToken)).StatusCode);
    }

    [Fact]
    public async Task A_client_token_for_identity_authenticates_but_acts_as_no_user_and_stops_when_disabled()
    {
        var admin = (await _http.LoginAdminAsync()).AccessToken;
        var client = await _http.RegisterClientAsync(scopes: ["ssf:manage"], audiences: ["identity"], adminToken: admin);
        var token = await _http.ClientTokenAsync(client);

        // Authenticated (403, not 401) and never a 500 on routes that act on the caller's own account or session.
        Assert.Equal(HttpStatusCode.Forbidden, (await _http.SendAsync(HttpMethod.Get, "/users/me", token)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _http.SendAsync(HttpMethod.Post, "/auth/logout", token)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _http.SendAsync(HttpMethod.Post, "/auth/password/change", token, new { currentPassword = "a", newPassword = "b" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _http.SendAsync(HttpMethod.Post, $"/admin/clients/{client.Id}/disable", admin)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _http.SendAsync(HttpMethod.Get, "/users/me", token)).StatusCode);
        var disabled = await app.Events.WaitForAsync<ClientDisabled>(e => e.ClientId == client.ClientId);
        Assert.True(disabled.DisabledAt >= client.CreatedAt);
        // Idempotent: a second disabling announces nothing more.
        Assert.Equal(HttpStatusCode.NoContent, (await _http.SendAsync(HttpMethod.Post, $"/admin/clients/{client.Id}/disable", admin)).StatusCode);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
        var announced = await db.OutboxMessages.Where(m => m.Type == nameof(ClientDisabled)).Select(m => m.Payload).ToListAsync();
        Assert.Single(announced, p => p.Contains(client.Id, StringComparison.Ordinal));
    }
}
