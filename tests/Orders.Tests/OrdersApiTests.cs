using System.Text;

namespace Platform.Orders.Tests;

[Collection(OrdersCollection.Name)]
public sealed class OrdersApiTests(OrdersFixture fixture)
{
    private static object Body(params (string Sku, int Quantity, decimal UnitPrice)[] items) =>
        new { items = items.Select(i => new { sku = i.Sku, quantity = i.Quantity, unitPrice = i.UnitPrice }) };

    private HttpClient ClientFor(Guid user, string scope = "orders:read orders:write") =>
        fixture.App.ClientWith(fixture.Issuer.Mint(user, scope: scope));

    [Fact]
    public async Task Placing_an_order_answers_201_with_location_server_total_and_the_token_subject_as_owner()
    {
        var user = Guid.NewGuid();
        using var client = ClientFor(user);
        using var response = await client.PostAsJsonAsync("/orders",
            new { userId = Guid.NewGuid(), total = 0.01m, items = new[] { new { sku = "AB-1", quantity = 3, unitPrice = 2.50m }, new { sku = "x_2", quantity = 1, unitPrice = 0m } } });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var order = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(user, order.GetProperty("userId").GetGuid());
        Assert.Equal("Placed", order.GetProperty("status").GetString());
        Assert.Equal(7.50m, order.GetProperty("total").GetDecimal());
        Assert.Equal(2, order.GetProperty("items").GetArrayLength());
        Assert.Equal($"/orders/{order.GetProperty("id").GetGuid()}", response.Headers.Location?.OriginalString);

        using var fetched = await client.GetAsync(response.Headers.Location);
        Assert.Equal(HttpStatusCode.OK, fetched.StatusCode);
    }

    [Fact]
    public async Task Placing_an_order_with_a_read_only_token_is_403_problem()
    {
        using var client = ClientFor(Guid.NewGuid(), scope: "orders:read");
        using var response = await client.PostAsJsonAsync("/orders", Body(("A", 1, 1m)));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Another_users_order_is_404_to_read_and_to_cancel()
    {
        using var owner = ClientFor(Guid.NewGuid());
        var id = await Place(owner);
        using var other = ClientFor(Guid.NewGuid());

        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/orders/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync($"/orders/{id}/cancel", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync($"/orders/{Guid.NewGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync("/orders/not-a-guid")).StatusCode);
    }

    [Fact]
    public async Task Cancel_answers_200_cancelled_then_409()
    {
        using var client = ClientFor(Guid.NewGuid());
        var id = await Place(client);

        using var first = await client.PostAsync($"/orders/{id}/cancel", null);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("Cancelled", (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());

        using var second = await client.PostAsync($"/orders/{id}/cancel", null);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal("application/problem+json", second.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Listing_pages_through_only_the_callers_orders()
    {
        using var client = ClientFor(Guid.NewGuid());
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++)
            ids.Add(await Place(client));
        using var other = ClientFor(Guid.NewGuid());
        await Place(other);

        var page1 = await client.GetFromJsonAsync<JsonElement>("/orders?page=1&pageSize=2");
        var page2 = await client.GetFromJsonAsync<JsonElement>("/orders?page=2&pageSize=2");

        Assert.Equal(3, page1.GetProperty("total").GetInt32());
        Assert.Equal(2, page1.GetProperty("items").GetArrayLength());
        Assert.Equal(1, page2.GetProperty("items").GetArrayLength());
        var seen = page1.GetProperty("items").EnumerateArray().Concat(page2.GetProperty("items").EnumerateArray())
            .Select(o => o.GetProperty("id").GetGuid()).ToHashSet();
        Assert.True(seen.SetEquals(ids));
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/orders?pageSize=1000")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/orders?page=abc")).StatusCode);
    }

    [Fact]
    public async Task Same_idempotency_key_and_body_returns_the_same_order_and_another_body_is_422()
    {
        using var client = ClientFor(Guid.NewGuid());
        var key = Guid.NewGuid().ToString();
        var first = await Place(client, key, Body(("A", 1, 1m)));
        var retry = await Place(client, key, Body(("A", 1, 1.00m)));
        Assert.Equal(first, retry);

        using var conflicting = await Send(client, key, Body(("A", 2, 1m)));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, conflicting.StatusCode);
        Assert.Equal(1, (await client.GetFromJsonAsync<JsonElement>("/orders")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Concurrent_requests_with_one_idempotency_key_create_one_order()
    {
        using var client = ClientFor(Guid.NewGuid());
        var key = Guid.NewGuid().ToString();
        var ids = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Place(client, key, Body(("A", 1, 1m)))));

        Assert.Single(ids.Distinct());
        Assert.Equal(1, (await client.GetFromJsonAsync<JsonElement>("/orders")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Same_idempotency_key_from_another_user_is_another_order()
    {
        var key = Guid.NewGuid().ToString();
        using var a = ClientFor(Guid.NewGuid());
        using var b = ClientFor(Guid.NewGuid());
        Assert.NotEqual(await Place(a, key), await Place(b, key));
    }

    public static TheoryData<string, string> InvalidBodies => new()
    {
        { """{"items":[]}""", "items" },
        { """{}""", "items" },
        { "{\"items\":[" + string.Join(',', Enumerable.Repeat("""{"sku":"A","quantity":1,"unitPrice":1}""", 101)) + "]}", "items" },
        { """{"items":[{"sku":"A","quantity":0,"unitPrice":1}]}""", "items[0].quantity" },
        { """{"items":[{"sku":"A","quantity":1001,"unitPrice":1}]}""", "items[0].quantity" },
        { """{"items":[{"sku":"A","quantity":1,"unitPrice":-1}]}""", "items[0].unitPrice" },
        { """{"items":[{"sku":"A","quantity":1,"unitPrice":1.001}]}""", "items[0].unitPrice" },
        { """{"items":[{"sku":"","quantity":1,"unitPrice":1}]}""", "items[0].sku" },
        { """{"items":[{"quantity":1,"unitPrice":1}]}""", "items[0].sku" },
        { """{"items":[{"sku":"a b","quantity":1,"unitPrice":1}]}""", "items[0].sku" },
        { """{"items":[{"sku":"A\n","quantity":1,"unitPrice":1}]}""", "items[0].sku" },
        { "{\"items\":[{\"sku\":\"" + new string('A', 65) + "\",\"quantity\":1,\"unitPrice\":1}]}", "items[0].sku" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Invalid_order_is_400_validation_problem_naming_the_field(string json, string field)
    {
        using var client = ClientFor(Guid.NewGuid());
        using var response = await client.PostAsync("/orders", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"No error for {field}: {problem}");
    }

    [Theory]
    [InlineData("{\"items\":[")]
    [InlineData("not json")]
    [InlineData("{\"items\":[{\"sku\":\"A\",\"quantity\":\"many\",\"unitPrice\":1}]}")]
    [InlineData("")]
    public async Task Malformed_body_is_400_problem(string body)
    {
        using var client = ClientFor(Guid.NewGuid());
        using var response = await client.PostAsync("/orders", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Huge_body_is_413_problem()
    {
        using var client = ClientFor(Guid.NewGuid());
        var json = "{\"items\":[{\"sku\":\"" + new string('A', 200_000) + "\",\"quantity\":1,\"unitPrice\":1}]}";
        using var response = await client.PostAsync("/orders", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private static async Task<HttpResponseMessage> Send(HttpClient client, string? key, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/orders") { Content = JsonContent.Create(body) };
        if (key is not null)
            request.Headers.Add("Idempotency-Key", key);
        return await client.SendAsync(request);
    }

    private static async Task<Guid> Place(HttpClient client, string? key = null, object? body = null)
    {
        using var response = await Send(client, key, body ?? Body(("SKU-1", 2, 9.99m)));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }
}
