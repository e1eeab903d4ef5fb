using System.Collections.Concurrent;
using MassTransit;
using Platform.Contracts;

namespace Platform.Testing;

/// <summary>
/// Identity's side of the bus for tests: publishes revocation events and answers <see cref="GetActiveRevocations"/>
/// with what it was told is active (or stays silent, as an Identity that is down).
/// </summary>
public sealed class FakeIdentityBus : IAsyncDisposable
{
    private readonly IBusControl _bus;

    private FakeIdentityBus(IBusControl bus) => _bus = bus;

    public ConcurrentDictionary<Guid, RevokedUser> ActiveUsers { get; } = new();

    public ConcurrentDictionary<Guid, RevokedSession> ActiveSessions { get; } = new();

    public bool Answering { get; set; } = true;

    public int RequestsSeen => Volatile.Read(ref _requestsSeen);

    private int _requestsSeen;

    public static async Task<FakeIdentityBus> StartAsync(Uri amqp)
    {
        FakeIdentityBus? fake = null;
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            var credentials = amqp.UserInfo.Split(':', 2);
            // A URI without a path (a private node's default virtual host) means "/".
            var virtualHost = Uri.UnescapeDataString(amqp.AbsolutePath.TrimStart('/')) is { Length: > 0 } path ? path : "/";
            cfg.Host(amqp.Host, (ushort)amqp.Port, virtualHost, h =>
            {
                h.Username(Uri.UnescapeDataString(credentials[0]));
                h.Password(Uri.UnescapeDataString(credentials[1]));
            });
            cfg.ReceiveEndpoint("fake-identity-" + Guid.NewGuid().ToString("N"), e =>
            {
                e.AutoDelete = true;
                e.Durable = false;
                e.Handler<GetActiveRevocations>(async context =>
                {
                    Interlocked.Increment(ref fake!._requestsSeen);
                    if (fake.Answering)
                    {
                        await context.RespondAsync(new ActiveRevocations(
                            [.. fake.ActiveUsers.Values], [.. fake.ActiveSessions.Values], DateTimeOffset.UtcNow));
                    }
                });
            });
        });
        fake = new FakeIdentityBus(bus);
        await bus.StartAsync(TestTimeout.Token(30));
        return fake;
    }

    public Task PublishAsync<T>(T message) where T : class => _bus.Publish(message, TestTimeout.Token(10));

    /// <summary>Sends straight to one queue, as an event that waited there while its consumers were down reaches only it.</summary>
    public async Task SendAsync<T>(string queue, T message) where T : class
    {
        // Through the endpoint's exchange of the same name: a "queue:" address would declare the queue as a classic
        // one, which the broker refuses for a quorum queue.
        var endpoint = await _bus.GetSendEndpoint(new Uri("exchange:" + queue));
        await endpoint.Send(message, TestTimeout.Token(10));
    }

    public async ValueTask DisposeAsync() => await _bus.StopAsync(TestTimeout.Token(15));
}
