using System.Collections.Concurrent;
using MassTransit;
using Platform.Contracts;

namespace Platform.EndToEnd.Tests.Stack;

/// <summary>
/// A bus of the test's own on the stack's broker, with one durable queue bound to the platform's event exchanges.
/// It only observes: its queue is its own copy of the fan-out, so the services' queues are untouched. The queue is
/// durable so events published while the observer reconnects after a broker restart wait for it.
/// </summary>
public sealed class BusObserver : IAsyncDisposable
{
    private readonly IBusControl _bus;
    private readonly ConcurrentQueue<(Guid? MessageId, object Message)> _received = new();

    private BusObserver(Uri amqp)
    {
        var credentials = amqp.UserInfo.Split(':', 2);
        _bus = MassTransit.Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(new UriBuilder(amqp) { UserName = "", Password = "" }.Uri, host =>
            {
                host.Username(Uri.UnescapeDataString(credentials[0]));
                host.Password(Uri.UnescapeDataString(credentials[1]));
            });
            rabbit.ReceiveEndpoint("e2e-observer-" + Guid.NewGuid().ToString("N"), endpoint =>
            {
                endpoint.Handler<UserDeactivated>(Record);
                endpoint.Handler<SessionRevoked>(Record);
                endpoint.Handler<PasswordResetRequested>(Record);
            });
        });
    }

    public static async Task<BusObserver> StartAsync(PlatformStack stack)
    {
        var observer = new BusObserver(stack.BrokerUri ?? throw new InvalidOperationException("An external stack's broker is not observable."));
        await observer._bus.StartAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
        return observer;
    }

    public IReadOnlyList<T> All<T>() => _received.Select(r => r.Message).OfType<T>().ToList();

    public IReadOnlyList<Guid?> MessageIds<T>() => _received.Where(r => r.Message is T).Select(r => r.MessageId).ToList();

    /// <summary>Waits until a matching event arrives and returns it.</summary>
    public async Task<T> WaitForAsync<T>(Func<T, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (All<T>().FirstOrDefault(match) is { } found)
                return found;
            await Task.Delay(50);
        }

        throw new TimeoutException($"No {typeof(T).Name} matching the condition arrived within {timeout.TotalSeconds:0} s.");
    }

    public async ValueTask DisposeAsync() => await _bus.StopAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);

    private Task Record<T>(ConsumeContext<T> context) where T : class
    {
        _received.Enqueue((context.MessageId, context.Message));
        return Task.CompletedTask;
    }
}
