using System.Collections.Concurrent;
using MassTransit;
using Platform.Contracts;

namespace Platform.Identity.Tests.Infrastructure;

/// <summary>A separate bus on the test's virtual host that records every event Identity publishes.</summary>
public sealed class EventObserver : IAsyncDisposable
{
    private readonly IBusControl _bus;
    private readonly ConcurrentQueue<(Guid? MessageId, object Message)> _received = new();

    private EventObserver(Uri amqp, bool durable)
    {
        var credentials = amqp.UserInfo.Split(':', 2);
        _bus = MassTransit.Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(new UriBuilder(amqp) { UserName = "", Password = "" }.Uri, h =>
            {
                h.Username(Uri.UnescapeDataString(credentials[0]));
                h.Password(Uri.UnescapeDataString(credentials[1]));
            });
            rabbit.ReceiveEndpoint("identity-tests-observer-" + Guid.NewGuid().ToString("N"), endpoint =>
            {
                // A durable queue keeps its bindings and messages across a broker restart.
                endpoint.AutoDelete = !durable;
                endpoint.Durable = durable;
                endpoint.Handler<UserDeactivated>(Record);
                endpoint.Handler<SessionRevoked>(Record);
                endpoint.Handler<PasswordResetRequested>(Record);
            });
        });
    }

    public IBus Bus => _bus;

    public static async Task<EventObserver> StartAsync(Uri amqp, bool durable = false)
    {
        var observer = new EventObserver(amqp, durable);
        await observer._bus.StartAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
        return observer;
    }

    public IReadOnlyList<T> All<T>() => _received.Select(r => r.Message).OfType<T>().ToList();

    public IReadOnlyList<Guid?> MessageIds<T>() => _received.Where(r => r.Message is T).Select(r => r.MessageId).ToList();

    /// <summary>Waits until a matching event arrives and returns it.</summary>
    public async Task<T> WaitForAsync<T>(Func<T, bool> match, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            if (All<T>().FirstOrDefault(match) is { } found)
                return found;
            await Task.Delay(50);
        }

        throw new TimeoutException($"No {typeof(T).Name} matching the condition arrived within {seconds} s.");
    }

    public async ValueTask DisposeAsync() => await _bus.StopAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);

    private Task Record<T>(ConsumeContext<T> context) where T : class
    {
        _received.Enqueue((context.MessageId, context.Message));
        return Task.CompletedTask;
    }
}
