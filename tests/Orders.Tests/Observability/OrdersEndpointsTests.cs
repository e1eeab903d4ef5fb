namespace Platform.Orders.Tests.Observability;

/// <summary>What Orders says about itself without a token: readiness with each check, and its OpenAPI document.</summary>
[Collection(OrdersCollection.Name)]
public sealed class OrdersEndpointsTests(OrdersFixture fixture)
{
    [Fact]
    public async Task Readiness_answers_JSON_listing_the_database_broker_deny_list_and_signing_keys_checks()
    {
        // Ready (200) already holds while the bus still reports Degraded as it connects; wait for every check to settle.
        await Eventually.HoldsAsync(async () =>
        {
            using var ready = await GetJsonAsync("/health/ready");
            return ready.RootElement.GetProperty("status").GetString() == "Healthy";
        }, "every readiness check to be healthy");
        using var body = await GetJsonAsync("/health/ready");

        Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
        var checks = body.RootElement.GetProperty("checks").EnumerateArray()
            .ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("status").GetString());
        Assert.Equal("Healthy", checks["orders-db"]);
        Assert.Equal("Healthy", checks["deny-list"]);
        Assert.Equal("Healthy", checks["signing-keys"]);
        Assert.Contains(checks, c => c.Key.Contains("bus", StringComparison.OrdinalIgnoreCase) && c.Value == "Healthy");
    }

    [Fact]
    public async Task Liveness_answers_without_a_token()
    {
        using var body = await GetJsonAsync("/health/live");

        Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task OpenAPI_document_is_valid_JSON_with_every_contract_route_and_the_bearer_scheme()
    {
        using var document = await GetJsonAsync("/openapi/v1.json");

        var paths = document.RootElement.GetProperty("paths");
        (string Path, string Method)[] contract =
        [
            ("/orders", "post"), ("/orders", "get"), ("/orders/{id}", "get"), ("/orders/{id}/cancel", "post"),
        ];
        foreach (var (path, method) in contract)
        {
            Assert.True(paths.TryGetProperty(path, out var item), $"{path} is missing from the document.");
            Assert.True(item.TryGetProperty(method, out var operation), $"{method.ToUpperInvariant()} {path} is missing.");
            Assert.Equal("Bearer", operation.GetProperty("security")[0].EnumerateObject().Single().Name);
            Assert.True(operation.GetProperty("responses").TryGetProperty("401", out _), $"{method} {path} documents no 401.");
        }

        var scheme = document.RootElement.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());
    }

    /// <summary>GETs <paramref name="path"/> without a token and expects 200 with a JSON body.</summary>
    private async Task<JsonDocument> GetJsonAsync(string path)
    {
        using var client = fixture.App.CreateClient();
        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }
}
