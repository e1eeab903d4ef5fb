namespace Platform.Orders.Tests;

/// <summary>
/// Orders' contexts are pooled and the by-id read is compiled once: neither may carry one request's user or rows into
/// another's, so each user sees only their own order, with its items, however the requests interleave.
/// </summary>
[Collection(OrdersCollection.Name)]
public sealed class PooledReadTests(OrdersFixture fixture)
{
    [Fact]
    public async Task Two_users_racing_reads_of_each_others_orders_always_get_404_and_their_own_in_full()
    {
        var (alice, bob) = (Guid.NewGuid(), Guid.NewGuid());
        using var aliceClient = fixture.App.ClientWith(fixture.Issuer.Mint(alice, scope: "orders:read orders:write"));
        using var bobClient = fixture.App.ClientWith(fixture.Issuer.Mint(bob, scope: "orders:read orders:write"));
        var aliceOrder = await Place(aliceClient, 2);
        var bobOrder = await Place(bobClient, 3);

        // Many more requests than the pool holds contexts, in flight together, so contexts pass between the users.
        var reads = Enumerable.Range(0, 400).Select(i => (i % 4) switch
        {
            0 => Read(aliceClient, aliceOrder, alice, items: 2),
            1 => Read(bobClient, aliceOrder, owner: null, items: 0),
            2 => Read(bobClient, bobOrder, bob, items: 3),
            _ => Read(aliceClient, bobOrder, owner: null, items: 0),
        });
        var outcomes = await Task.WhenAll(reads);

        Assert.All(outcomes, outcome => Assert.True(outcome.Expected, outcome.What));
    }

    private static async Task<(bool Expected, string What)> Read(HttpClient client, Guid order, Guid? owner, int items)
    {
        using var response = await client.GetAsync($"/orders/{order}");
        if (owner is null)
            return (response.StatusCode == HttpStatusCode.NotFound, $"another user's order answered {(int)response.StatusCode}");
        if (response.StatusCode != HttpStatusCode.OK)
            return (false, $"the owner's read answered {(int)response.StatusCode}");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var expected = body.GetProperty("userId").GetGuid() == owner && body.GetProperty("items").GetArrayLength() == items;
        return (expected, "the owner's read returned another owner or other items");
    }

    private static async Task<Guid> Place(HttpClient client, int items)
    {
        var body = new { items = Enumerable.Range(0, items).Select(i => new { sku = $"SKU-{i}", quantity = 1, unitPrice = 1m }) };
        using var response = await client.PostAsJsonAsync("/orders", body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }
}
