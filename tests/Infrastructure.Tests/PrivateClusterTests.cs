using System.Net.Sockets;
using RabbitMQ.Client;

namespace Platform.Infrastructure.Tests;

/// <summary>The cluster fault tests stand on: three joined nodes, a quorum queue that outlives its leader's crash.</summary>
public sealed class PrivateClusterTests
{
    [Fact]
    public async Task A_quorum_queue_keeps_a_confirmed_message_when_the_node_leading_it_is_killed_and_that_node_comes_back()
    {
        await using var cluster = await PrivateRabbitMqCluster.StartAsync();
        const string queue = "cluster-probe";
        var body = "kept"u8.ToArray();

        await using (var connection = await ConnectAsync(cluster.NodeUri(0)))
        await using (var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true)))
        {
            await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false,
                arguments: new Dictionary<string, object?> { ["x-queue-type"] = "quorum" });
            await channel.BasicPublishAsync("", queue, mandatory: true, new BasicProperties { Persistent = true }, body);
        }

        var leader = Assert.IsType<int>(await cluster.LeaderOfAsync(queue));
        await cluster.KillAsync(leader);
        Assert.False(await AcceptsAsync(cluster.Ports[leader]));

        var survivor = (leader + 1) % cluster.Size;
        await Eventually.HoldsAsync(async () => await cluster.LeaderOfAsync(queue) is { } now && now != leader,
            "another node to lead the queue", TimeSpan.FromSeconds(30));
        await using (var connection = await ConnectAsync(cluster.NodeUri(survivor)))
        await using (var channel = await connection.CreateChannelAsync())
        {
            var message = await channel.BasicGetAsync(queue, autoAck: true);
            Assert.NotNull(message);
            Assert.Equal(body, message.Body.ToArray());
        }

        await cluster.RestartAsync(leader);
        Assert.True(await AcceptsAsync(cluster.Ports[leader]));
        await using (var connection = await ConnectAsync(cluster.NodeUri(leader)))
            Assert.Equal(Enumerable.Range(0, cluster.Size).Select(i => i == leader ? 1 : 0), await cluster.ConnectionsPerNodeAsync());
    }

    private static Task<IConnection> ConnectAsync(Uri node) => new ConnectionFactory { Uri = node }.CreateConnectionAsync();

    private static async Task<bool> AcceptsAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
