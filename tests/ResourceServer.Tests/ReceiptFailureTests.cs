using Platform.ResourceServer.Receipts;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Platform.ResourceServer.Tests;

/// <summary>
/// Delivery receipts are evidence, never a condition: an instance whose receipts and heartbeats the broker refuses
/// still applies every revocation, acknowledges every event and stays ready.
/// </summary>
[Collection(ResourceServerCollection.Name)]
public sealed class ReceiptFailureTests
{
    private const string Receipts = "|RevocationReceiptsSent|InstanceHeartbeatSent";

    [Fact]
    public async Task Every_revocation_is_applied_and_none_fails_while_the_broker_refuses_the_receipts()
    {
        // An environment of its own: a broker user with a resource server's grants, except writing receipts and heartbeats.
        await using var environment = await ApiEnvironment.CreateAsync("resource-server-receipts");
        var granted = await BrokerPermissions.ForAsync("orders");
        var refused = new BrokerPermissions(ForApi(granted.Configure), ForApi(granted.Write).Replace(Receipts, "", StringComparison.Ordinal), ForApi(granted.Read));
        Assert.DoesNotContain("RevocationReceiptsSent", refused.Write, StringComparison.Ordinal);
        var settings = environment.ResourceServerSettings(ResourceServerApp.Section, amqp: await environment.VirtualHost.CreateUserAsync("api", refused));
        settings[ResourceServerApp.Section + ":HeartbeatInterval"] = "00:00:01";
        await using var app = await ResourceServerApp.StartAsync(settings);
        await app.WaitUntilReadyAsync();
        var now = DateTimeOffset.UtcNow;
        var users = Enumerable.Range(0, 100).Select(_ => Guid.NewGuid()).ToList();
        var last = environment.Issuer.Mint(users[^1], change: (_, c) => c["iat"] = now.AddMinutes(-1).ToUnixTimeSeconds());

        foreach (var user in users)
            await environment.Identity.PublishAsync(new UserDeactivated(user, now, "offboarding"));

        var denyList = app.Get<DenyList>();
        await Eventually.HoldsAsync(() => Task.FromResult(denyList.Count >= users.Count), () => $"every deactivation to be applied ({denyList.Count} so far)",
            TimeSpan.FromSeconds(30));
        using var client = app.ClientWith(last);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(ResourceServerApp.Path)).StatusCode);
        // The store queue applies every event too; the instance queue must have taken and acknowledged each one as well,
        // not left it waiting behind a receipt the broker will not take.
        var queue = app.Get<ResourceServerInstance>().RevocationQueue;
        await Eventually.HoldsAsync(async () => await environment.VirtualHost.CountHeldAsync(queue) == 0,
            "the instance queue to acknowledge every event", TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(500));
        // A consumer that failed would have moved its event to the queue's _error queue, which exists only then.
        Assert.Equal(0u, await ErrorQueueLengthAsync(environment.VirtualHost.AmqpUri, queue));
        await app.WaitUntilReadyAsync();
    }

    private static string ForApi(string regex) => regex.Replace("orders-(", "api-(", StringComparison.Ordinal);

    private static async Task<uint> ErrorQueueLengthAsync(Uri amqp, string queue)
    {
        await using var connection = await new ConnectionFactory { Uri = amqp }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue + "_error")).MessageCount;
        }
        catch (OperationInterruptedException missing) when (missing.ShutdownReason?.ReplyCode == 404)
        {
            return 0;
        }
    }
}
