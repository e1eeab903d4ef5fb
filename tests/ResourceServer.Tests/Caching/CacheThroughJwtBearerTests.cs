namespace Platform.ResourceServer.Tests.Caching;

/// <summary>
/// The cache as JwtBearer drives it: issuer and keys come from the discovery document through the parameters'
/// ConfigurationManager, not in ValidIssuers or IssuerSigningKeys, and repeat presentations must still be hits.
/// </summary>
[Collection(ResourceServerCollection.Name)]
public sealed class CacheThroughJwtBearerTests(ResourceServerFixture fixture)
{
    [Fact]
    public async Task Repeat_presentations_through_jwt_bearer_are_answered_from_the_cache()
    {
        var user = Guid.NewGuid();
        var token = fixture.Issuer.Mint(user);
        using var client = fixture.App.ClientWith(token);
        var cache = fixture.App.Get<VerifiedTokenCache>();
        // The first two requests validate fully; the second admits the token.
        for (var i = 0; i < 2; i++)
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(ResourceServerApp.Path)).StatusCode);
        var before = cache.Hits;

        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(ResourceServerApp.Path)).StatusCode);

        // Other tests of the collection may hit the cache meanwhile, so at least these five.
        Assert.True(cache.Hits - before >= 5, $"{cache.Hits - before} of 5 repeat requests were cache hits");
    }
}
