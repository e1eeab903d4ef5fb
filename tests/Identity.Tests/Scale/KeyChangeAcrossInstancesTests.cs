namespace Platform.Identity.Tests.Scale;

/// <summary>Identity whose periodic key check is too rare to matter within a test.</summary>
public sealed class RareKeyCheckApp : IdentityApp
{
    protected override void Configure(IWebHostBuilder builder) =>
        builder.UseSetting("Identity:SigningKeys:CheckInterval", "01:00:00");
}

/// <summary>
/// A key change made through one instance takes effect on every instance on the database at once, not at each one's
/// next periodic check: a revoked key stops signing, being published and being accepted everywhere.
/// </summary>
public sealed class KeyChangeAcrossInstancesTests(RareKeyCheckApp app) : IClassFixture<RareKeyCheckApp>, IAsyncLifetime
{
    private readonly PeerIdentityApp _peer = new(app);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _peer.DisposeAsync();

    [Fact]
    public async Task A_key_revoked_through_one_instance_is_refused_withdrawn_and_replaced_on_the_other()
    {
        using var first = app.CreateClient();
        using var second = _peer.CreateClient();
        var (_, user) = await second.NewUserAsync();
        var oldKid = Jwks.Read(user.AccessToken).Kid;
        Assert.Equal(HttpStatusCode.OK, (await second.SendAsync(HttpMethod.Get, "/users/me", user.AccessToken)).StatusCode);

        using var revoke = await first.SendAsync(HttpMethod.Post, $"/admin/keys/{oldKid}/revoke", (await first.LoginAdminAsync()).AccessToken);
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        var newKid = (await revoke.JsonAsync()).GetProperty("signingKid").GetString()!;

        await Eventually.HoldsAsync(async () =>
            (await second.SendAsync(HttpMethod.Get, "/users/me", user.AccessToken)).StatusCode == HttpStatusCode.Unauthorized,
            "the other instance to refuse the revoked key's token");
        var published = new JsonWebKeySet(await second.GetStringAsync("/.well-known/jwks.json")).Keys.Select(k => k.Kid).ToList();
        Assert.DoesNotContain(oldKid, published);
        Assert.Contains(newKid, published);
        var (_, fresh) = await second.NewUserAsync();
        Assert.Equal(newKid, Jwks.Read(fresh.AccessToken).Kid);
        Assert.Equal(HttpStatusCode.OK, (await first.SendAsync(HttpMethod.Get, "/users/me", fresh.AccessToken)).StatusCode);
    }
}
