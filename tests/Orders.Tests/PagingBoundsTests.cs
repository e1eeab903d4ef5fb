namespace Platform.Orders.Tests;

/// <summary>
/// Paging input is the client's to get wrong: a page far enough to overflow the offset is a 400 naming the field,
/// never a database error dressed up as an outage (503) or a 500.
/// </summary>
[Collection(OrdersCollection.Name)]
public sealed class PagingBoundsTests(OrdersFixture fixture)
{
    [Theory]
    [InlineData("page=2147483647&pageSize=100", "page")] // (page − 1) × pageSize wraps to a negative OFFSET
    [InlineData("page=21474837&pageSize=100", "page")] // just past int.MaxValue rows
    [InlineData("page=10001", "page")] // one past the cap
    [InlineData("page=0", "page")]
    [InlineData("page=1&pageSize=0", "pageSize")]
    [InlineData("page=1&pageSize=101", "pageSize")]
    public async Task Out_of_range_paging_is_400_naming_only_the_wrong_field(string query, string field)
    {
        using var client = fixture.App.ClientWith(fixture.Issuer.Mint(Guid.NewGuid(), scope: "orders:read"));

        using var response = await client.GetAsync("/orders?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.False(response.Headers.Contains("Retry-After"), "a client's mistake must not look like an outage");
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal([field], errors.EnumerateObject().Select(e => e.Name));
    }

    [Fact]
    public async Task A_page_number_beyond_an_int_is_400_not_5xx()
    {
        using var client = fixture.App.ClientWith(fixture.Issuer.Mint(Guid.NewGuid(), scope: "orders:read"));

        using var response = await client.GetAsync("/orders?page=99999999999999999999");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_last_allowed_page_answers_200_and_empty()
    {
        using var client = fixture.App.ClientWith(fixture.Issuer.Mint(Guid.NewGuid(), scope: "orders:read"));

        var page = await client.GetFromJsonAsync<JsonElement>("/orders?page=10000&pageSize=100");

        Assert.Equal(0, page.GetProperty("items").GetArrayLength());
        Assert.Equal(10000, page.GetProperty("page").GetInt32());
    }
}
