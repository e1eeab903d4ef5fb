using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Platform.Benchmarks.WholeSystem;

/// <summary>The public HTTP contract, used as a client would; any unexpected status fails the run.</summary>
/// <param name="orders">The Orders instance relative paths go to; without one, every Orders call names its instance.</param>
public sealed class PlatformClient(Uri identity, Uri? orders = null) : IDisposable
{
    private readonly HttpClient _identity = new() { BaseAddress = identity, Timeout = TimeSpan.FromSeconds(30) };
    private readonly HttpClient _orders = new() { BaseAddress = orders, Timeout = TimeSpan.FromSeconds(30) };

    public PlatformClient(SystemStack stack)
        : this(stack.Identity, stack.Orders)
    {
    }

    public async Task<Guid> SignUpAsync(string email, string password)
    {
        using var response = await _identity.PostAsJsonAsync("/users", new { email, password });
        return (await Read(response, HttpStatusCode.Created)).GetProperty("id").GetGuid();
    }

    /// <returns>The access and refresh tokens and how long the login took.</returns>
    /// <param name="resource">The audience asked for: <c>identity</c> for the operator API, none for Orders.</param>
    public async Task<(string Token, string RefreshToken, TimeSpan Took)> LogInAsync(string email, string password, string? resource = null)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await _identity.PostAsJsonAsync("/auth/login", new { email, password, resource });
        var tokens = await Read(response, HttpStatusCode.OK);
        return (tokens.GetProperty("accessToken").GetString()!, tokens.GetProperty("refreshToken").GetString()!, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>A login whose refusal is an answer, not a failure of the run: 503 when Identity's hashing is busy.</summary>
    public async Task<HttpStatusCode> LogInStatusAsync(string email, string password)
    {
        using var response = await _identity.PostAsJsonAsync("/auth/login", new { email, password });
        return response.StatusCode;
    }

    /// <summary>GET of Identity's JWKS, as a resource server fetches it.</summary>
    public async Task<HttpStatusCode> GetJwksStatusAsync()
    {
        using var response = await _identity.GetAsync(new Uri("/.well-known/jwks.json", UriKind.Relative));
        return response.StatusCode;
    }

    /// <summary>A cheap operator call: the first page of the user list.</summary>
    public async Task<HttpStatusCode> ListUsersStatusAsync(string adminToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/users?pageSize=5");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
        using var response = await _identity.SendAsync(request);
        return response.StatusCode;
    }

    /// <returns>A new access token of the same session, and the refresh token that replaces the one presented.</returns>
    public async Task<(string Token, string RefreshToken)> RefreshAsync(string refreshToken, string? resource = null)
    {
        while (true)
        {
            using var response = await _identity.PostAsJsonAsync("/auth/refresh", new { refreshToken, resource });
            // Identity limits refreshes per client address and minute; a whole run's users can reach that limit.
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(5));
                continue;
            }

            var tokens = await Read(response, HttpStatusCode.OK);
            return (tokens.GetProperty("accessToken").GetString()!, tokens.GetProperty("refreshToken").GetString()!);
        }
    }

    public async Task<Guid> PlaceOrderAsync(string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/orders")
        {
            Content = JsonContent.Create(new { items = new[] { new { sku = "BENCH-1", quantity = 1, unitPrice = 9.5m } } }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await _orders.SendAsync(request);
        return (await Read(response, HttpStatusCode.Created)).GetProperty("id").GetGuid();
    }

    /// <summary>The operator's resource: the operator API takes only tokens of Identity's own audience.</summary>
    public const string OperatorResource = "identity";

    public async Task RevokeKeyAsync(string adminToken, string kid)
    {
        using var response = await PostToIdentityAsync($"/admin/keys/{kid}/revoke", adminToken, HttpStatusCode.OK, "Key revocation");
    }

    public async Task LogOutAsync(string token)
    {
        using var response = await PostToIdentityAsync("/auth/logout", token, HttpStatusCode.NoContent, "Logout");
    }

    /// <summary>One bulk request; a refusal's problem body names ids only, so it goes into the error.</summary>
    public async Task DeactivateManyAsync(string adminToken, IReadOnlyList<Guid> ids)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/admin/users/deactivate")
        {
            Content = JsonContent.Create(new { ids, reason = "benchmark" }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
        using var response = await _identity.SendAsync(request);
        if (response.StatusCode != HttpStatusCode.OK)
            throw new InvalidOperationException($"Bulk deactivation answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <returns>The id of the <c>UserDeactivated</c> event the deactivation published.</returns>
    public async Task<Guid> DeactivateAsync(string adminToken, Guid userId)
    {
        using var response = await PostToIdentityAsync($"/admin/users/{userId}/deactivate", adminToken, HttpStatusCode.NoContent, "Deactivation",
            JsonContent.Create(new { reason = "benchmark" }));
        return response.Headers.TryGetValues("Revocation-Event", out var values) ? Guid.Parse(values.Single()) : Guid.Empty;
    }

    public async Task ReactivateAsync(string adminToken, Guid userId)
    {
        using var response = await PostToIdentityAsync($"/admin/users/{userId}/reactivate", adminToken, HttpStatusCode.NoContent, "Reactivation");
    }

    /// <summary>
    /// An event's delivery record once <paramref name="instances"/> instances reported it (receipts come in batches):
    /// when Identity wrote the event and when the slowest instance applied it.
    /// </summary>
    public async Task<(DateTimeOffset CreatedAt, DateTimeOffset PublishedAt, DateTimeOffset LastAppliedAt)> RevocationDeliveryAsync(string adminToken, Guid eventId, int instances)
    {
        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 30;
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/admin/revocations/{eventId}");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
            using var response = await _identity.SendAsync(request);
            var delivery = await Read(response, HttpStatusCode.OK);
            var applied = delivery.GetProperty("applied").EnumerateArray().Select(a => a.GetProperty("appliedAt").GetDateTimeOffset()).ToList();
            if (applied.Count >= instances)
                return (delivery.GetProperty("createdAt").GetDateTimeOffset(), delivery.GetProperty("publishedAt").GetDateTimeOffset(), applied.Max());
            if (Stopwatch.GetTimestamp() > deadline)
                throw new InvalidOperationException($"Event {eventId} was reported by {applied.Count} of {instances} instances after 30 s.");
            await Task.Delay(200);
        }
    }

    /// <param name="orders">Another Orders instance than the stack's first one, when given.</param>
    public async Task<HttpStatusCode> GetOrdersStatusAsync(string token, string path, Uri? orders = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, orders is null ? new Uri(path, UriKind.Relative) : new Uri(orders, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await _orders.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>A POST to Identity with a bearer token that must answer <paramref name="expected"/>; only the status goes into the error.</summary>
    private async Task<HttpResponseMessage> PostToIdentityAsync(string path, string token, HttpStatusCode expected, string what, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await _identity.SendAsync(request);
        if (response.StatusCode == expected)
            return response;
        response.Dispose();
        throw new InvalidOperationException($"{what} answered {(int)response.StatusCode}.");
    }

    private static async Task<JsonElement> Read(HttpResponseMessage response, HttpStatusCode expected)
    {
        // Only the status goes into the error: bodies of auth endpoints may carry tokens.
        if (response.StatusCode != expected)
            throw new InvalidOperationException($"{response.RequestMessage?.RequestUri?.AbsolutePath} answered {(int)response.StatusCode}.");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public void Dispose()
    {
        _identity.Dispose();
        _orders.Dispose();
    }
}
