namespace Platform.Orders.Tests;

/// <summary>Outages of what Orders depends on: answers stay problem details, cached keys keep working.</summary>
[Collection(OrdersCollection.Name)]
public sealed class OutageTests(OrdersFixture fixture)
{
    [Fact]
    public async Task Database_gone_is_503_problem_not_500()
    {
        var database = await TestDatabase.CreateAsync("orders_outage");
        await using var vhost = await TestVirtualHost.CreateAsync("orders-outage");
        await using var instance = new OrdersApp(fixture.Settings(database.ConnectionString, vhost.AmqpUri));
        using var client = instance.ClientWith(fixture.Issuer.Mint());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/orders")).StatusCode);

        await database.DisposeAsync();

        using var response = await client.GetAsync("/orders");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(503, problem.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Identity_unreachable_keeps_validating_with_the_last_known_keys()
    {
        await using var issuer = await TestTokenIssuer.StartAsync();
        var settings = fixture.Settings();
        settings["Orders:Authority"] = issuer.Issuer;
        settings["Orders:RefreshInterval"] = "00:00:01";
        await using var instance = new OrdersApp(settings);
        using (var warm = instance.ClientWith(issuer.Mint()))
            Assert.Equal(HttpStatusCode.OK, (await warm.GetAsync("/orders")).StatusCode);

        issuer.Down = true;
        var metadataBefore = issuer.DiscoveryRequests;
        // An unknown kid makes the validator refresh its keys; keep asking until it has tried the unreachable Identity.
        await Eventually.HoldsAsync(async () =>
        {
            using var probe = instance.ClientWith(issuer.Mint(change: (header, _) => header["kid"] = Guid.NewGuid().ToString("N")));
            Assert.Equal(HttpStatusCode.Unauthorized, (await probe.GetAsync("/orders")).StatusCode);
            return issuer.DiscoveryRequests > metadataBefore;
        }, "a key refresh attempt while Identity was down", interval: TimeSpan.FromMilliseconds(300));

        using var client = instance.ClientWith(issuer.Mint());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/orders")).StatusCode);
    }
}
