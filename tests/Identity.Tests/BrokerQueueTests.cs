namespace Platform.Identity.Tests;

/// <summary>Identity's shared catch-up queue is a quorum queue, the kind RabbitMQ 4 keeps for durable shared queues.</summary>
public sealed class BrokerQueueTests(IdentityApp app) : IClassFixture<IdentityApp>
{
    [Fact]
    public async Task The_catch_up_queue_every_identity_instance_shares_is_a_durable_quorum_queue()
    {
        // The bus connects in the background, so the queue appears shortly after the start.
        var queues = await Eventually.ValueAsync(app.VirtualHost.QueuesAsync,
            found => found.Any(q => q.Name == "get-active-revocations"), "the get-active-revocations queue");
        var queue = queues.Single(q => q.Name == "get-active-revocations");

        Assert.Equal("quorum", queue.Type);
        Assert.True(queue.Durable);
    }
}
