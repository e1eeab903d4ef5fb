namespace Platform.Identity.Tests.SharedSignals;

/// <summary>
/// Without <c>Identity:SharedSignals:AllowHttpEndpoints</c> a push endpoint must be https: a SET names users and
/// sessions and is signed, not encrypted. The setting itself is refused outside Development.
/// </summary>
public sealed class HttpEndpointTests(IdentityApp app) : IClassFixture<IdentityApp>
{
    [Fact]
    public async Task A_plain_http_push_endpoint_is_refused_by_default_and_https_is_taken()
    {
        var client = app.CreateClient();
        var (_, token) = await ClientTokens.NewClientAsync(client);

        var http = await client.SendAsync(HttpMethod.Post, "/ssf/streams", token, new { delivery = new { method = "urn:ietf:rfc:8935", endpoint_url = "http://receiver.example.test/events" } });
        var https = await client.SendAsync(HttpMethod.Post, "/ssf/streams", token, new { delivery = new { method = "urn:ietf:rfc:8935", endpoint_url = "https://receiver.example.test/events" } });

        var problem = await http.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("https", problem.GetProperty("errors").GetProperty("delivery.endpoint_url")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, https.StatusCode);
    }

    [Fact]
    public void Allowing_http_endpoints_outside_Development_refuses_to_start_with_a_clear_message()
    {
        using var production = app.WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Production");
            builder.UseSetting("Identity:SharedSignals:AllowHttpEndpoints", "true");
        });

        var error = Assert.ThrowsAny<Exception>(() => production.Server);

        Assert.Contains("Identity:SharedSignals:AllowHttpEndpoints may be true only in Development", error.ToString(), StringComparison.Ordinal);
    }
}
