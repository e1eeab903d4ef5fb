namespace Platform.ResourceServer.Tests;

/// <summary>
/// The queues an instance declares are the kinds RabbitMQ 4 keeps: durable means a quorum queue, replicated across a
/// cluster's nodes, and no queue is both transient and shared (the broker refuses those once transient_nonexcl_queues
/// is not permitted).
/// </summary>
[Collection(ResourceServerCollection.Name)]
public sealed class BrokerQueueTests
{
    [Fact]
    public async Task The_store_queue_and_the_instance_queue_are_quorum_queues_and_every_queue_of_an_instance_is_durable_or_exclusive()
    {
        // An environment of its own, so the virtual host holds this instance's queues only.
        await using var environment = await ApiEnvironment.CreateAsync("resource-server-queues");
        await using var instance = await ResourceServerApp.StartAsync(environment.ResourceServerSettings(ResourceServerApp.Section));
        await instance.WaitUntilReadyAsync();
        var prefix = ResourceServerApp.Section.ToLowerInvariant() + "-";

        var queues = (await environment.VirtualHost.QueuesAsync()).Where(q => q.Name.StartsWith(prefix, StringComparison.Ordinal)).ToList();

        Assert.Equal("quorum", Assert.Single(queues, q => q.Name == prefix + "revocation-store").Type);
        // Replicated, so a cluster that loses the node leading it loses none of the events it holds.
        Assert.Equal("quorum", Assert.Single(queues, q => q.Name.StartsWith(prefix + "revocations-", StringComparison.Ordinal)).Type);
        Assert.Contains(queues, q => q.Name.StartsWith(prefix + "bus-", StringComparison.Ordinal) && q.Exclusive);
        Assert.All(queues, q => Assert.True(q.Durable || q.Exclusive, $"{q.Name} is neither durable nor exclusive"));
    }
}
