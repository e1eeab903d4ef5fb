using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MassTransit;
using Platform.Contracts;
using Platform.Testing;

namespace Platform.Benchmarks.WholeSystem;

/// <summary>
/// Puts revocations on Orders' deny-list the way Identity does, as SessionRevoked events on the shared virtual host
/// (10 000 operator actions through the API would need 10 000 users, each costing a password hash).
/// </summary>
public static class DenyListFiller
{
    public static async Task FillAsync(TestVirtualHost virtualHost, int sessions)
    {
        ArgumentNullException.ThrowIfNull(virtualHost);
        var amqp = virtualHost.AmqpUri;
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            var credentials = amqp.UserInfo.Split(':', 2);
            cfg.Host(amqp.Host, (ushort)amqp.Port, Uri.UnescapeDataString(amqp.AbsolutePath.TrimStart('/')), h =>
            {
                h.Username(Uri.UnescapeDataString(credentials[0]));
                h.Password(Uri.UnescapeDataString(credentials[1]));
            });
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await bus.StartAsync(timeout.Token);
        try
        {
            var now = DateTimeOffset.UtcNow;
            for (var start = 0; start < sessions; start += 500)
            {
                var batch = Enumerable.Range(start, Math.Min(500, sessions - start))
                    .Select(_ => bus.Publish(new SessionRevoked(Guid.NewGuid(), Guid.NewGuid(), now, SessionRevokedReasons.Admin), timeout.Token));
                await Task.WhenAll(batch);
            }
        }
        finally
        {
            await bus.StopAsync(CancellationToken.None);
        }

        await WaitUntilQueuesDrainedAsync(virtualHost.Name, timeout.Token);
    }

    /// <summary>Both Orders queues (per-instance deny-list and shared store) empty means every event was applied.</summary>
    private static async Task WaitUntilQueuesDrainedAsync(string vhost, CancellationToken cancellation)
    {
        var management = TestInfrastructure.RabbitMqManagement;
        using var client = new HttpClient { BaseAddress = new Uri(management.GetLeftPart(UriPartial.Authority) + "/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(management.UserInfo))));
        var quietPolls = 0;
        while (quietPolls < 3)
        {
            await Task.Delay(1000, cancellation);
            var queues = await client.GetFromJsonAsync<JsonElement>($"api/queues/{Uri.EscapeDataString(vhost)}", cancellation);
            var pending = queues.EnumerateArray().Sum(q =>
                (q.TryGetProperty("messages", out var m) ? m.GetInt64() : 0));
            quietPolls = pending == 0 ? quietPolls + 1 : 0;
        }
    }
}
