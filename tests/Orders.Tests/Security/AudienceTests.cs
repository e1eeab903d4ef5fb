namespace Platform.Orders.Tests.Security;

/// <summary>
/// Orders' audience is <c>orders</c>: a token Identity minted for its own API (<c>aud</c> <c>["identity"]</c>, what an
/// operator's tool holds) is refused, over HTTP through the real JwtBearer pipeline, however else it is valid.
/// </summary>
[Collection(OrdersCollection.Name)]
public sealed class AudienceTests(OrdersFixture fixture)
{
    [Theory]
    [InlineData(new[] { "identity" }, HttpStatusCode.Unauthorized)]
    [InlineData(new[] { "orders" }, HttpStatusCode.OK)]
    [InlineData(new[] { "identity", "orders" }, HttpStatusCode.OK)]
    public async Task Only_a_token_whose_audience_holds_orders_is_accepted(string[] audiences, HttpStatusCode expected)
    {
        var token = fixture.Issuer.Mint(Guid.NewGuid(), change: (_, claims) =>
        {
            claims["aud"] = audiences;
            claims["role"] = new[] { "admin" };
        });
        using var client = fixture.App.ClientWith(token);

        using var response = await client.GetAsync("/orders");

        Assert.Equal(expected, response.StatusCode);
    }
}
