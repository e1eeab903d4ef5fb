using System.Collections.Concurrent;
using MassTransit;
using Platform.Contracts;

namespace Platform.Testing;

/// <summary>
/// A bus of the test's own that records every platform event: its queue is its own copy of the fan-out, so the
/// services' queues are untouched. A durable one keeps its bindings and the events published while it reconnects
/// after a broker restart.
/// </summary>
public sealed class EventObserver : IAsyncDisposable
{
    private readonly IBusControl _bus;
    private readonly ConcurrentQueue<(Guid? MessageId, object Message)> _received = new();
    private readonly ConcurrentDictionary<Guid, string> _bodies = new();

    private EventObserver(Uri amqp, string queuePrefix, bool durable)
    {
        var credentials = amqp.UserInfo.Split(':', 2);
        _bus = MassTransit.Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(new UriBuilder(amqp) { UserName = "", Password = "" }.Uri, h =>
            {
                h.Username(Uri.UnescapeDataString(credentials[0]));
                h.Password(Uri.UnescapeDataString(credentials[1]));
            });
            rabbit.ReceiveEndpoint(queuePrefix + Guid.NewGuid().ToString("N"), endpoint =>
            {
                endpoint.AutoDelete = !durable;
                endpoint.Durable = durable;
                endpoint.Handler<UserDeactivated>(Record);
                endpoint.Handler<SessionRevoked>(Record);
                endpoint.Handler<PasswordResetRequested>(Record);
                endpoint.Handler<SigningKeyRevoked>(Record);
                endpoint.Handler<ClientDisabled>(Record);
                endpoint.Handler<RevocationReceiptsSent>(RecordReceipts);
            });
        });
    }

    public IBus Bus => _bus;

    public static async Task<EventObserver> StartAsync(Uri amqp, string queuePrefix, bool durable = false)
    {
        var observer = new EventObserver(amqp, queuePrefix, durable);
        await observer._bus.StartAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
        return observer;
    }

    public IReadOnlyList<T> All<T>() => _received.Select(r => r.Message).OfType<T>().ToList();

    public IReadOnlyList<Guid?> MessageIds<T>() => _received.Where(r => r.Message is T).Select(r => r.MessageId).ToList();

    /// <summary>Waits until a matching event arrives (20 s unless told) and returns it.</summary>
    public Task<T> WaitForAsync<T>(Func<T, bool> match, TimeSpan? timeout = null) where T : class =>
        Eventually.FoundAsync(() => All<T>().FirstOrDefault(match), $"a {typeof(T).Name} matching the condition",
            timeout ?? TimeSpan.FromSeconds(20));

    /// <summary>The message as it travelled, envelope and all: what anyone bound to the exchange could read.</summary>
    public string? BodyOf(Guid messageId) => _bodies.GetValueOrDefault(messageId);

    public async ValueTask DisposeAsync() => await _bus.StopAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);

    /// <summary>The message, and each receipt in it as if it had come alone, so <c>All&lt;RevocationApplied&gt;()</c> lists them.</summary>
    private Task RecordReceipts(ConsumeContext<RevocationReceiptsSent> context)
    {
        foreach (var receipt in context.Message.Receipts ?? [])
            _received.Enqueue((context.MessageId, receipt));
        return Record(context);
    }

    private Task Record<T>(ConsumeContext<T> context) where T : class
    {
        if (context.MessageId is { } id)
            _bodies[id] = context.ReceiveContext.Body.GetString();
        _received.Enqueue((context.MessageId, context.Message));
        return Task.CompletedTask;
    }
}
