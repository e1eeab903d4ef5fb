namespace Platform.Identity.Tests.Observability;

/// <summary>Identity on its own fixture: the readiness test parks a stuck outbox row and moves the clock.</summary>
public sealed class IdentityEndpointsApp : IdentityApp;

public sealed class IdentityEndpointsTests(IdentityEndpointsApp app) : IClassFixture<IdentityEndpointsApp>
{
    private readonly HttpClient _client = app.CreateClient();

    [Fact]
    public async Task Readiness_is_JSON_listing_database_broker_and_outbox_and_degrades_once_an_event_waits_longer_than_allowed()
    {
        // The bus connects in the background after start and reports Degraded until it has; wait for it as a load
        // balancer would, so what follows starts from an all-healthy Identity.
        await Eventually.HoldsAsync(async () => (await ReadinessAsync()).Overall == "Healthy", "every readiness check to be healthy");
        var ready = await ReadinessAsync();
        Assert.Equal(HttpStatusCode.OK, ready.Status);
        Assert.Equal("Healthy", ready.Checks["database"]);
        Assert.Equal("Healthy", ready.Checks["broker"]);
        Assert.Equal("Healthy", ready.Checks["outbox"]);

        // A row the dispatcher cannot publish stays first in line, as a stuck event would.
        var stuck = new OutboxMessage { Id = Guid.NewGuid(), Type = "NotAnEvent", Payload = "{}", CreatedAt = app.Time.GetUtcNow() };
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
            db.OutboxMessages.Add(stuck);
            await db.SaveChangesAsync();
        }

        try
        {
            Assert.Equal("Healthy", (await ReadinessAsync()).Checks["outbox"]);

            app.Time.Advance(TimeSpan.FromMinutes(3)); // past Identity:Outbox:ReadinessMaxPendingAge (2 minutes)
            var degraded = await ReadinessAsync();

            // Degraded, still 200: the API keeps serving while events wait.
            Assert.Equal(HttpStatusCode.OK, degraded.Status);
            Assert.Equal("Degraded", degraded.Overall);
            Assert.Equal("Degraded", degraded.Checks["outbox"]);
        }
        finally
        {
            await using var scope = app.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<IdentityDb>().OutboxMessages.Where(m => m.Id == stuck.Id).ExecuteDeleteAsync();
        }
    }

    [Fact]
    public async Task OpenAPI_document_is_valid_JSON_with_every_contract_route_summaries_examples_and_the_bearer_scheme_on_protected_ones()
    {
        var response = await _client.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var paths = document.RootElement.GetProperty("paths");
        (string Path, string Method, bool Protected)[] contract =
        [
            ("/.well-known/openid-configuration", "get", false), ("/.well-known/jwks.json", "get", false),
            ("/users", "post", false), ("/users/me", "get", true),
            ("/auth/login", "post", false), ("/auth/refresh", "post", false), ("/auth/logout", "post", true),
            ("/auth/password/change", "post", true), ("/auth/password/forgot", "post", false), ("/auth/password/reset", "post", false),
            ("/admin/users", "get", true), ("/admin/users/{id}", "get", true), ("/admin/users/{id}/deactivate", "post", true),
            ("/admin/users/{id}/reactivate", "post", true), ("/admin/users/{id}/roles", "put", true),
            ("/admin/sessions/{sessionId}", "delete", true), ("/admin/keys", "get", true), ("/admin/keys/rotate", "post", true),
        ];
        foreach (var (path, method, isProtected) in contract)
        {
            // A group's "/" route is documented with the trailing slash.
            Assert.True(paths.TryGetProperty(path, out var item) || paths.TryGetProperty(path + "/", out item), $"{path} is missing from the document.");
            Assert.True(item.TryGetProperty(method, out var operation), $"{method.ToUpperInvariant()} {path} is missing.");
            Assert.True(operation.TryGetProperty("summary", out _), $"{method.ToUpperInvariant()} {path} has no summary.");
            Assert.Equal(isProtected, operation.TryGetProperty("security", out _));
        }

        var components = document.RootElement.GetProperty("components");
        Assert.Equal("bearer", components.GetProperty("securitySchemes").GetProperty("Bearer").GetProperty("scheme").GetString());
        Assert.Equal("ada@example.com", components.GetProperty("schemas").GetProperty("LoginRequest").GetProperty("examples")[0].GetProperty("email").GetString());
        Assert.True(paths.GetProperty("/auth/login").GetProperty("post").GetProperty("responses").TryGetProperty("401", out _));
    }

    private async Task<(HttpStatusCode Status, string Overall, Dictionary<string, string> Checks)> ReadinessAsync()
    {
        var response = await _client.GetAsync("/health/ready");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var checks = body.RootElement.GetProperty("checks").EnumerateArray()
            .ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("status").GetString()!);
        return (response.StatusCode, body.RootElement.GetProperty("status").GetString()!, checks);
    }
}
