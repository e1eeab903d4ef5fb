namespace Platform.ResourceServer.Tests.Caching;

/// <summary>The cache over HTTP: it saves the RSA check, never the deny-list.</summary>
[Collection(ResourceServerCollection.Name)]
public sealed class CachedRevocationTests(ResourceServerFixture fixture)
{
    [Fact]
    public async Task Cached_token_of_a_deactivated_user_is_rejected()
    {
        var user = Guid.NewGuid();
        var token = fixture.Issuer.Mint(user, change: (_, c) => c["iat"] = DateTimeOffset.UtcNow.AddSeconds(-5).ToUnixTimeSeconds());
        using var client = fixture.App.ClientWith(token);
        // The second request admits the token to the cache.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(ResourceServerApp.Path)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(ResourceServerApp.Path)).StatusCode);
        Assert.True(fixture.App.Get<VerifiedTokenCache>().TryGet(token, out _));

        await fixture.Identity.PublishAsync(new UserDeactivated(user, DateTimeOffset.UtcNow, "test"));

        await Eventually.HoldsAsync(async () =>
        {
            using var response = await client.GetAsync(ResourceServerApp.Path);
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized, $"The API answered {(int)response.StatusCode}");
            return response.StatusCode == HttpStatusCode.Unauthorized;
        }, "the cached token of the deactivated user to be rejected");
        // Still in the cache: the rejection came from the deny-list check that runs on every request.
        Assert.True(fixture.App.Get<VerifiedTokenCache>().TryGet(token, out _));
    }
}
