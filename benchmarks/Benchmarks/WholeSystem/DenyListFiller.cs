using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.Contracts;

namespace Platform.Benchmarks.WholeSystem;

/// <summary>
/// Puts revocations on an Orders deny-list the way Identity does, as SessionRevoked events on the instance's virtual
/// host (10 000 operator actions through the API would need 10 000 users, each costing a password hash).
/// </summary>
public static class DenyListFiller
{
    /// <param name="known">The last of the sessions: a real one, so presenting its token shows the fill was applied.</param>
    public static async Task FillAsync(TestVirtualHost virtualHost, int sessions, SessionRevoked known)
    {
        ArgumentNullException.ThrowIfNull(virtualHost);
        var bus = VirtualHostBus.Create(virtualHost);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await bus.StartAsync(timeout.Token);
        try
        {
            for (var start = 0; start < sessions - 1; start += 500)
            {
                var batch = Enumerable.Range(start, Math.Min(500, sessions - 1 - start))
                    .Select(_ => bus.Publish(new SessionRevoked(Guid.NewGuid(), Guid.NewGuid(), known.RevokedAt, known.Reason), timeout.Token));
                await Task.WhenAll(batch);
            }

            await bus.Publish(known, timeout.Token);
        }
        finally
        {
            await bus.StopAsync(CancellationToken.None);
        }

        await WaitUntilAppliedAsync(virtualHost.Name, sessions, timeout.Token);
    }

    /// <summary>
    /// Waits until both Orders queues (the instance's deny-list and the shared store) are empty and have acknowledged
    /// every event. An empty queue alone proves nothing: the management API's figures lag by its statistics interval
    /// (5 s by default), so a queue still being filled can read empty for several polls.
    /// </summary>
    private static async Task WaitUntilAppliedAsync(string vhost, int published, CancellationToken cancellation)
    {
        var management = TestInfrastructure.RabbitMqManagement;
        using var client = new HttpClient { BaseAddress = new Uri(management.GetLeftPart(UriPartial.Authority) + "/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(management.UserInfo))));
        try
        {
            while (true)
            {
                await Task.Delay(1000, cancellation);
                var queues = await client.GetFromJsonAsync<JsonElement>($"api/queues/{Uri.EscapeDataString(vhost)}", cancellation);
                // The names Orders gives them ("orders-revocations-<instance>", "orders-revocation-store").
                var revocationQueues = queues.EnumerateArray()
                    .Where(q => q.GetProperty("name").GetString()!.StartsWith("orders-revocation", StringComparison.Ordinal))
                    .ToList();
                if (revocationQueues.Count == 2 && revocationQueues.All(q => Figure(q, "messages") == 0 && Acknowledged(q) >= published))
                    return;
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            throw new TimeoutException($"Orders did not acknowledge the {published} revocation events on both of its queues in time.");
        }
    }

    private static long Figure(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : 0;

    private static long Acknowledged(JsonElement queue) =>
        queue.TryGetProperty("message_stats", out var stats) ? Figure(stats, "ack") : 0;
}
