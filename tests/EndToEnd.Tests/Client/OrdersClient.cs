namespace Platform.EndToEnd.Tests.Client;

/// <summary>The Orders API, as the contract describes it.</summary>
public sealed class OrdersClient(Uri baseAddress) : ApiClient(baseAddress)
{
    public static readonly IReadOnlyList<OrderLine> SampleItems = [new("BOOK-1", 2, 12.50m), new("PEN-7", 1, 3.20m)];

    public Task<HttpResponseMessage> TryPlaceAsync(string accessToken, IReadOnlyList<OrderLine> items) =>
        SendAsync(HttpMethod.Post, "orders", accessToken, new { items });

    public async Task<Order> PlaceAsync(string accessToken, IReadOnlyList<OrderLine>? items = null) =>
        await ExpectAsync<Order>(await TryPlaceAsync(accessToken, items ?? SampleItems), HttpStatusCode.Created, "place order");

    public async Task<PageOf<Order>> ListAsync(string accessToken) =>
        await ExpectAsync<PageOf<Order>>(await SendAsync(HttpMethod.Get, "orders", accessToken), HttpStatusCode.OK, "list orders");

    public Task<HttpResponseMessage> TryGetAsync(string accessToken, Guid orderId) =>
        SendAsync(HttpMethod.Get, $"orders/{orderId}", accessToken);

    public async Task<Order> GetAsync(string accessToken, Guid orderId) =>
        await ExpectAsync<Order>(await TryGetAsync(accessToken, orderId), HttpStatusCode.OK, "fetch order");

    /// <summary>The status Orders gives this token on a read: 200 accepted, 401 rejected.</summary>
    public async Task<HttpStatusCode> StatusForAsync(string accessToken)
    {
        using var response = await SendAsync(HttpMethod.Get, "orders?page=1&pageSize=1", accessToken);
        return response.StatusCode;
    }
}
