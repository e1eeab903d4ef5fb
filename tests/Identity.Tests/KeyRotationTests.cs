namespace Platform.Identity.Tests;

public sealed class KeyRotationTests(ShortKeyTimingsApp app) : IClassFixture<ShortKeyTimingsApp>
{
    private readonly HttpClient _client = app.CreateClient();

    [Fact]
    public async Task A_forced_rotation_publishes_the_new_key_first_signs_with_it_after_propagation_and_keeps_old_tokens_valid()
    {
        var admin = (await _client.LoginAdminAsync()).AccessToken;
        var (_, before) = await _client.NewUserAsync();
        var oldKid = Jwks.Read(before.AccessToken).Kid;

        var rotate = await _client.SendAsync(HttpMethod.Post, "/admin/keys/rotate", admin);

        Assert.Equal(HttpStatusCode.Accepted, rotate.StatusCode);
        var newKid = (await rotate.JsonAsync()).GetProperty("kid").GetString()!;
        Assert.NotEqual(oldKid, newKid);
        Assert.Equal(new[] { newKid, oldKid }.Order(), (await PublishedKidsAsync()).Order());
        var keys = await (await _client.SendAsync(HttpMethod.Get, "/admin/keys", admin)).JsonAsync();
        Assert.Equal("pending", keys.EnumerateArray().Single(k => k.GetProperty("kid").GetString() == newKid).GetProperty("status").GetString());
        Assert.All(keys.EnumerateArray(), k => Assert.False(k.TryGetProperty("d", out _)));

        var stillOld = await _client.LoginAdminAsync();
        Assert.Equal(oldKid, Jwks.Read(stillOld.AccessToken).Kid);

        app.Time.Advance(ShortKeyTimingsApp.Propagation + TimeSpan.FromSeconds(1));
        var after = await _client.LoginAdminAsync();

        Assert.Equal(newKid, Jwks.Read(after.AccessToken).Kid);
        Assert.True((await Jwks.ValidateAsync(_client, before.AccessToken, app.Time)).IsValid);
        Assert.True((await Jwks.ValidateAsync(_client, after.AccessToken, app.Time, IdentityClient.IdentityResource)).IsValid);
        Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(HttpMethod.Get, "/admin/keys", after.AccessToken)).StatusCode);

        // The old key stays published until the last token it signed has expired, plus the skew.
        app.Time.Advance(TimeSpan.FromMinutes(10));
        Assert.Contains(oldKid, await PublishedKidsAsync());
        app.Time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal([newKid], await PublishedKidsAsync());
    }

    private async Task<List<string>> PublishedKidsAsync() =>
        (await (await _client.GetAsync("/.well-known/jwks.json")).JsonAsync()).GetProperty("keys").EnumerateArray()
            .Select(k => k.GetProperty("kid").GetString()!).ToList();
}
