namespace Platform.Identity.Tests;

/// <summary>Identity's shared queues (catch-up requests, delivery receipts, heartbeats) are quorum queues, the kind RabbitMQ 4 keeps for durable shared queues.</summary>
public sealed class BrokerQueueTests(IdentityApp app) : IClassFixture<IdentityApp>
{
    [Theory]
    [InlineData("get-active-revocations")]
    [InlineData("revocation-receipts")]
    [InlineData("instance-heartbeats")]
    public async Task The_queues_every_identity_instance_shares_are_durable_quorum_queues(string name)
    {
        // The bus connects in the background, so the queue appears shortly after the start.
        var queues = await Eventually.ValueAsync(app.VirtualHost.QueuesAsync,
            found => found.Any(q => q.Name == name), $"the {name} queue");
        var queue = queues.Single(q => q.Name == name);

        Assert.Equal("quorum", queue.Type);
        Assert.True(queue.Durable);
    }
}
