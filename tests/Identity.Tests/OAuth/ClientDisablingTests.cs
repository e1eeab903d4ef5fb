namespace Platform.Identity.Tests.OAuth;

/// <summary>
/// A client's token passes a resource server that knows only scopes, and disabling the client revokes it there: at once
/// through the instance's queue, and for an instance started afterwards through the catch-up.
/// </summary>
public sealed class ClientDisablingTests(OAuthApp app) : IClassFixture<OAuthApp>
{
    private readonly HttpClient _http = app.CreateClient();

    [Fact]
    public async Task A_disabled_clients_token_is_refused_by_a_running_resource_server()
    {
        await using var api = await ResourceServerHost.StartAsync(app, OAuthApp.LoopbackIssuer);
        var admin = (await _http.LoginAdminAsync()).AccessToken;
        var client = await _http.RegisterClientAsync(adminToken: admin);
        var other = await _http.RegisterClientAsync(adminToken: admin);
        var token = await _http.ClientTokenAsync(client);
        var otherToken = await _http.ClientTokenAsync(other);
        Assert.Equal(HttpStatusCode.OK, await api.StatusWithAsync(token));

        Assert.Equal(HttpStatusCode.NoContent, (await _http.SendAsync(HttpMethod.Post, $"/admin/clients/{client.Id}/disable", admin)).StatusCode);

        await Eventually.HoldsAsync(async () => await api.StatusWithAsync(token) == HttpStatusCode.Unauthorized,
            "the resource server to refuse the disabled client's token", TimeSpan.FromSeconds(20));
        Assert.Equal(HttpStatusCode.OK, await api.StatusWithAsync(otherToken));
    }

    [Fact]
    public async Task A_resource_server_started_after_the_disabling_refuses_the_token_from_its_catch_up()
    {
        var admin = (await _http.LoginAdminAsync()).AccessToken;
        var client = await _http.RegisterClientAsync(adminToken: admin);
        var token = await _http.ClientTokenAsync(client);
        Assert.Equal(HttpStatusCode.NoContent, (await _http.SendAsync(HttpMethod.Post, $"/admin/clients/{client.Id}/disable", admin)).StatusCode);
        await app.Events.WaitForAsync<ClientDisabled>(e => e.ClientId == client.ClientId);

        // Ready only once the catch-up is merged, and its queue was bound after the event went out.
        await using var api = await ResourceServerHost.StartAsync(app, OAuthApp.LoopbackIssuer);

        Assert.Equal(HttpStatusCode.Unauthorized, await api.StatusWithAsync(token));
    }
}
