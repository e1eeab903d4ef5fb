using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Platform.Infrastructure.Tests;

/// <summary>
/// The grants of deploy/rabbitmq/permissions.sh on a virtual host of the test's own: what a stolen Orders
/// credential can and cannot do on the broker, tried over AMQP.
/// </summary>
public sealed class BrokerPermissionTests : IAsyncLifetime
{
    private const ushort AccessRefused = 403;
    private const string UserDeactivated = "Platform.Contracts:UserDeactivated";
    private const string ClientDisabled = "Platform.Contracts:ClientDisabled";
    private const string PasswordResetRequested = "Platform.Contracts:PasswordResetRequested";
    private const string GetActiveRevocations = "Platform.Contracts:GetActiveRevocations";
    private const string RevocationReceiptsSent = "Platform.Contracts:RevocationReceiptsSent";
    private const string InstanceHeartbeatSent = "Platform.Contracts:InstanceHeartbeatSent";

    private TestVirtualHost _vhost = null!;
    private Uri _orders = null!;
    private Uri _identity = null!;

    public async Task InitializeAsync()
    {
        _vhost = await TestVirtualHost.CreateAsync("permissions");
        // The exchanges exist as Identity declares them, so only permissions can stand in the way.
        await using (var admin = await ConnectAsync(_vhost.AmqpUri))
        await using (var channel = await admin.CreateChannelAsync())
        {
            foreach (var exchange in new[] { UserDeactivated, ClientDisabled, PasswordResetRequested, GetActiveRevocations, RevocationReceiptsSent, InstanceHeartbeatSent })
                await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true);
        }

        _orders = await _vhost.CreateServiceUserAsync("orders");
        _identity = await _vhost.CreateServiceUserAsync("identity");
    }

    public async Task DisposeAsync() => await _vhost.DisposeAsync();

    [Theory]
    [InlineData(PasswordResetRequested)]
    [InlineData(GetActiveRevocations)]
    public async Task Orders_cannot_bind_its_queue_to_an_exchange_it_does_not_consume(string exchange)
    {
        await using var connection = await ConnectAsync(_orders);
        await using var channel = await connection.CreateChannelAsync();
        var queue = InstanceQueue();
        await channel.QueueDeclareAsync(queue, durable: false, exclusive: false, autoDelete: true);

        var refused = await Assert.ThrowsAnyAsync<OperationInterruptedException>(() => channel.QueueBindAsync(queue, exchange, ""));

        Assert.Equal(AccessRefused, refused.ShutdownReason?.ReplyCode);
    }

    [Theory]
    [InlineData(UserDeactivated)]
    [InlineData(ClientDisabled)]
    public async Task Orders_binds_its_queue_to_a_revocation_event_and_receives_it(string exchange)
    {
        await using var connection = await ConnectAsync(_orders);
        await using var channel = await connection.CreateChannelAsync();
        var queue = InstanceQueue();
        await channel.QueueDeclareAsync(queue, durable: false, exclusive: false, autoDelete: true);
        await channel.QueueBindAsync(queue, exchange, "");

        await using (var admin = await ConnectAsync(_vhost.AmqpUri))
        await using (var publisher = await admin.CreateChannelAsync())
            await publisher.BasicPublishAsync(exchange, "", "{}"u8.ToArray());

        await Eventually.HoldsAsync(async () => await channel.MessageCountAsync(queue) == 1, "the event reaches Orders' queue");
    }

    [Fact]
    public async Task Orders_cannot_publish_a_revocation()
    {
        await using var connection = await ConnectAsync(_orders);
        await using var channel = await connection.CreateChannelAsync();

        await channel.BasicPublishAsync(UserDeactivated, "", "{}"u8.ToArray());
        // The broker answers a refused publish by closing the channel; the next call on it reports why.
        await Assert.ThrowsAnyAsync<OperationInterruptedException>(() => channel.ExchangeDeclarePassiveAsync(UserDeactivated));

        Assert.Equal(AccessRefused, channel.CloseReason?.ReplyCode);
    }

    [Theory]
    [InlineData(RevocationReceiptsSent)]
    [InlineData(InstanceHeartbeatSent)]
    public async Task Orders_publishes_its_receipts_and_heartbeats_and_identitys_queue_receives_them_while_orders_cannot_read_them(string exchange)
    {
        var queue = exchange == RevocationReceiptsSent ? "revocation-receipts" : "instance-heartbeats";
        await using var identity = await ConnectAsync(_identity);
        await using var consumer = await identity.CreateChannelAsync();
        await consumer.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false,
            arguments: new Dictionary<string, object?> { ["x-queue-type"] = "quorum" });
        await consumer.QueueBindAsync(queue, exchange, "");
        await using var orders = await ConnectAsync(_orders);
        await using var publisher = await orders.CreateChannelAsync();
        await using var reader = await orders.CreateChannelAsync();

        await publisher.BasicPublishAsync(exchange, "", "{}"u8.ToArray());
        var ownQueue = InstanceQueue();
        await reader.QueueDeclareAsync(ownQueue, durable: false, exclusive: true, autoDelete: true);
        var refused = await Assert.ThrowsAnyAsync<OperationInterruptedException>(() => reader.QueueBindAsync(ownQueue, exchange, ""));

        await Eventually.HoldsAsync(async () => await consumer.MessageCountAsync(queue) == 1, "the message to reach Identity's queue");
        Assert.Equal(AccessRefused, refused.ShutdownReason?.ReplyCode);
    }

    [Theory]
    [InlineData("orders-anything")]
    [InlineData("reset-tokens")]
    [InlineData("x-orders-revocation-store")]
    [InlineData("orders-revocation-store-copy")]
    public async Task Orders_cannot_declare_a_queue_outside_its_own_names(string queue)
    {
        await using var connection = await ConnectAsync(_orders);
        await using var channel = await connection.CreateChannelAsync();

        var refused = await Assert.ThrowsAnyAsync<OperationInterruptedException>(
            () => channel.QueueDeclareAsync(queue, durable: false, exclusive: false, autoDelete: true));

        Assert.Equal(AccessRefused, refused.ShutdownReason?.ReplyCode);
    }

    // The shape of the per-instance queue a resource server names for itself.
    private static string InstanceQueue() => $"orders-revocations-test-{Guid.NewGuid():N}";

    private static Task<IConnection> ConnectAsync(Uri uri) => new ConnectionFactory { Uri = uri }.CreateConnectionAsync();
}
