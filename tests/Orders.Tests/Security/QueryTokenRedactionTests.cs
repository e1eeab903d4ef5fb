using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Platform.Orders.Tests.Security;

/// <summary>
/// A client that puts its token in the query string is refused, and the token must not stay behind in the logs or
/// traces either, where anyone who reads them could replay it. Searched at Debug level, in every line and value.
/// </summary>
[Collection(OrdersCollection.Name)]
public sealed class QueryTokenRedactionTests(OrdersFixture fixture)
{
    [Theory]
    [InlineData("access_token")]
    [InlineData("ACCESS_TOKEN")]
    [InlineData("%61ccess_token")]
    [InlineData("token")]
    [InlineData("refresh_token")]
    [InlineData("code")]
    [InlineData("id_token")]
    [InlineData("client_secret")]
    [InlineData("password")]
    public async Task A_token_in_the_query_string_is_refused_and_never_logged_or_traced(string parameter)
    {
        var token = fixture.Issuer.Mint(Guid.NewGuid(), scope: "orders:read");
        var signature = token[(token.LastIndexOf('.') + 1)..];
        using var capture = new LogCapture();
        await using var orders = new OrdersApp(fixture.Settings());
        await using var app = orders.WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Logging:LogLevel:Default", "Debug");
            builder.ConfigureTestServices(services => services.AddSingleton<ILoggerProvider>(capture));
        });
        using var client = app.CreateClient();

        using var response = await client.GetAsync($"/orders?page=1&{parameter}={Uri.EscapeDataString(token)}");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        // The request is logged (so the search below searched something), with the query masked.
        await Eventually.HoldsAsync(() => capture.CountContaining("GET /orders?page=1&") > 0 && capture.CountContaining("=REDACTED answered 401") > 0,
            "the request log line with the masked query");
        Assert.True(capture.Lines.Count > 10, "too few lines captured for the search to prove anything");
        Assert.Equal(0, capture.CountContaining(signature));
        Assert.Equal(0, capture.CountContaining(Uri.EscapeDataString(signature)));
    }

    [Fact]
    public async Task Other_query_parameters_stay_readable_in_the_request_log()
    {
        using var capture = new LogCapture();
        await using var orders = new OrdersApp(fixture.Settings());
        await using var app = orders.WithWebHostBuilder(builder =>
            builder.ConfigureTestServices(services => services.AddSingleton<ILoggerProvider>(capture)));
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", fixture.Issuer.Mint(Guid.NewGuid(), scope: "orders:read"));

        using var response = await client.GetAsync("/orders?page=1&pageSize=3");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Eventually.HoldsAsync(() => capture.CountContaining("GET /orders?page=1&pageSize=3 answered 200") > 0,
            "the request log line with its status");
    }
}
