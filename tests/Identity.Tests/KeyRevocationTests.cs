namespace Platform.Identity.Tests;

/// <summary>Identity whose signing keys this class alone withdraws, so no other test loses its keys.</summary>
public sealed class KeyRevocationApp : IdentityApp;

/// <summary>
/// Emergency revocation of a signing key, proven with the real ResourceServer library over HTTP: the key leaves the
/// JWKS at once, a fresh key signs, and a resource server refuses the old key's tokens, cached ones included, as soon
/// as it hears <see cref="SigningKeyRevoked"/>, not when its JWKS cache expires.
/// </summary>
public sealed class KeyRevocationTests(KeyRevocationApp app) : IClassFixture<KeyRevocationApp>
{
    private readonly HttpClient _client = app.CreateClient();

    [Fact]
    public async Task A_revoked_signing_key_leaves_the_jwks_and_its_cached_tokens_are_refused_at_once_while_new_tokens_pass()
    {
        await using var api = await ResourceServerHost.StartAsync(app);
        var (_, user) = await _client.NewUserAsync();
        var oldKid = Jwks.Read(user.AccessToken).Kid;
        // Presented three times: verified twice, then served from the verified-token cache.
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.OK, await api.StatusWithAsync(user.AccessToken));
        var admin = (await _client.LoginAdminAsync()).AccessToken;

        using var revoke = await _client.SendAsync(HttpMethod.Post, $"/admin/keys/{oldKid}/revoke", admin);

        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        var body = await revoke.JsonAsync();
        Assert.Equal(oldKid, body.GetProperty("kid").GetString());
        var newKid = body.GetProperty("signingKid").GetString()!;
        Assert.NotEqual(oldKid, newKid);
        var published = await PublishedKidsAsync();
        Assert.DoesNotContain(oldKid, published);
        Assert.Contains(newKid, published);
        var announced = await app.Events.WaitForAsync<SigningKeyRevoked>(e => e.Kid == oldKid);
        Assert.Equal(body.GetProperty("revokedAt").GetDateTimeOffset(), announced.RevokedAt);

        await Eventually.HoldsAsync(async () => await api.StatusWithAsync(user.AccessToken) == HttpStatusCode.Unauthorized,
            "the resource server to refuse the revoked key's cached token");
        Assert.Equal(HttpStatusCode.Unauthorized, (await _client.SendAsync(HttpMethod.Get, "/users/me", user.AccessToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _client.SendAsync(HttpMethod.Get, "/admin/keys", admin)).StatusCode);

        var (_, fresh) = await _client.NewUserAsync();
        Assert.Equal(newKid, Jwks.Read(fresh.AccessToken).Kid);
        await Eventually.HoldsAsync(async () => await api.StatusWithAsync(fresh.AccessToken) == HttpStatusCode.OK,
            "the resource server to accept a token of the key that replaced the revoked one");
        Assert.Equal(HttpStatusCode.Unauthorized, await api.StatusWithAsync(user.AccessToken));

        var keys = await (await _client.SendAsync(HttpMethod.Get, "/admin/keys", (await _client.LoginAdminAsync()).AccessToken)).JsonAsync();
        var listed = keys.EnumerateArray().Single(k => k.GetProperty("kid").GetString() == oldKid);
        Assert.Equal("revoked", listed.GetProperty("status").GetString());
        Assert.Equal("active", keys.EnumerateArray().Single(k => k.GetProperty("kid").GetString() == newKid).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Revoking_is_idempotent_an_unknown_kid_is_404_and_only_operators_with_identitys_audience_may()
    {
        var admin = (await _client.LoginAdminAsync()).AccessToken;
        var adminForOrders = (await _client.LoginAsync(IdentityApp.AdminEmail, IdentityApp.AdminPassword)).AccessToken;
        var (user, _) = await _client.NewUserAsync();
        var userForIdentity = await _client.LoginAsync(user.Email, resource: IdentityClient.IdentityResource);
        var pending = (await (await _client.SendAsync(HttpMethod.Post, "/admin/keys/rotate", admin)).JsonAsync()).GetProperty("kid").GetString()!;

        using var byUser = await _client.SendAsync(HttpMethod.Post, $"/admin/keys/{pending}/revoke", userForIdentity.AccessToken);
        using var byOrdersToken = await _client.SendAsync(HttpMethod.Post, $"/admin/keys/{pending}/revoke", adminForOrders);
        using var unknown = await _client.SendAsync(HttpMethod.Post, $"/admin/keys/{Guid.NewGuid():N}/revoke", admin);
        using var overlong = await _client.SendAsync(HttpMethod.Post, $"/admin/keys/{new string('k', 300)}/revoke", admin);
        Assert.Contains(pending, await PublishedKidsAsync());

        using var first = await _client.SendAsync(HttpMethod.Post, $"/admin/keys/{pending}/revoke", admin);
        using var again = await _client.SendAsync(HttpMethod.Post, $"/admin/keys/{pending}/revoke", admin);

        await byUser.AssertProblemAsync(HttpStatusCode.Forbidden);
        await byOrdersToken.AssertProblemAsync(HttpStatusCode.Forbidden);
        await unknown.AssertProblemAsync(HttpStatusCode.NotFound);
        await overlong.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal((await first.JsonAsync()).GetProperty("revokedAt").GetDateTimeOffset(), (await again.JsonAsync()).GetProperty("revokedAt").GetDateTimeOffset());
        Assert.DoesNotContain(pending, await PublishedKidsAsync());
        // A pending key's withdrawal leaves the signing key alone: the operator's token still works.
        Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(HttpMethod.Get, "/admin/keys", admin)).StatusCode);
        await app.Events.WaitForAsync<SigningKeyRevoked>(e => e.Kid == pending);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
        Assert.Equal(1, await db.AuditRecords.CountAsync(a => a.Action == "revoke-key" && a.Target == pending));
        var announced = await db.OutboxMessages.Where(m => m.Type == nameof(SigningKeyRevoked)).Select(m => m.Payload).ToListAsync();
        Assert.Single(announced, payload => payload.Contains(pending, StringComparison.Ordinal));
    }

    private async Task<List<string>> PublishedKidsAsync() =>
        (await (await _client.GetAsync("/.well-known/jwks.json")).JsonAsync()).GetProperty("keys").EnumerateArray()
            .Select(k => k.GetProperty("kid").GetString()!).ToList();
}
