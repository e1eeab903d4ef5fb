using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Platform.Orders.Tests.Security;

/// <summary>The headers every Orders response carries (OWASP ASVS 5 §3.4 and §14.3).</summary>
[Collection(OrdersCollection.Name)]
public sealed class SecurityHeaderTests(OrdersFixture fixture)
{
    [Fact]
    public async Task Authenticated_response_is_nosniff_and_no_store()
    {
        using var client = fixture.App.ClientWith(fixture.Issuer.Mint());
        using var response = await client.GetAsync("/orders");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.True(response.Headers.CacheControl?.NoStore, "Cache-Control: " + response.Headers.CacheControl);
    }

    [Theory]
    [InlineData("/orders", null)]
    [InlineData("/orders/not-a-guid", "token")]
    [InlineData("/nothing-here", "token")]
    public async Task Rejections_and_not_found_are_nosniff_and_no_store(string path, string? withToken)
    {
        using var client = withToken is null ? fixture.App.CreateClient() : fixture.App.ClientWith(fixture.Issuer.Mint());
        using var response = await client.GetAsync(path);
        Assert.True((int)response.StatusCode is 401 or 404, $"{path}: {(int)response.StatusCode}");
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.True(response.Headers.CacheControl?.NoStore, "Cache-Control: " + response.Headers.CacheControl);
    }

    [Fact]
    public void Kestrel_does_not_announce_itself_in_a_server_header()
    {
        // The in-memory test server never writes Server; the real process is checked by the end-to-end attack suite.
        Assert.False(fixture.App.Get<IOptions<KestrelServerOptions>>().Value.AddServerHeader);
    }
}
