using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Platform.Benchmarks.WholeSystem;

/// <summary>The public HTTP contract, used as a client would; any unexpected status fails the run.</summary>
public sealed class PlatformClient(SystemStack stack) : IDisposable
{
    private readonly HttpClient _identity = new() { BaseAddress = stack.Identity, Timeout = TimeSpan.FromSeconds(30) };
    private readonly HttpClient _orders = new() { BaseAddress = stack.Orders, Timeout = TimeSpan.FromSeconds(30) };

    public async Task<Guid> SignUpAsync(string email, string password)
    {
        using var response = await _identity.PostAsJsonAsync("/users", new { email, password });
        return (await Read(response, HttpStatusCode.Created)).GetProperty("id").GetGuid();
    }

    /// <returns>The access token and how long the login took.</returns>
    public async Task<(string Token, TimeSpan Took)> LogInAsync(string email, string password)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await _identity.PostAsJsonAsync("/auth/login", new { email, password });
        var token = (await Read(response, HttpStatusCode.OK)).GetProperty("accessToken").GetString()!;
        return (token, Stopwatch.GetElapsedTime(started));
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

    public async Task DeactivateAsync(string adminToken, Guid userId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/admin/users/{userId}/deactivate")
        {
            Content = JsonContent.Create(new { reason = "benchmark" }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
        using var response = await _identity.SendAsync(request);
        if (response.StatusCode != HttpStatusCode.NoContent)
            throw new InvalidOperationException($"Deactivation answered {(int)response.StatusCode}.");
    }

    public async Task<HttpStatusCode> GetOrdersStatusAsync(string token, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await _orders.SendAsync(request);
        return response.StatusCode;
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
