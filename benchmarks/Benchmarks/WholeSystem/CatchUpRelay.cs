using MassTransit;
using Platform.Contracts;

namespace Platform.Benchmarks.WholeSystem;

/// <summary>
/// Lets the filled Orders instance catch up against Identity although it lives on a virtual host of its own:
/// its GetActiveRevocations request is forwarded to Identity's virtual host and Identity's answer returned, so it
/// starts as any instance beside Identity does (a timed-out catch-up would leave it retrying in the background,
/// work the empty instance never does).
/// </summary>
public sealed class CatchUpRelay : IAsyncDisposable
{
    // Below Orders' own 5 s CatchUpTimeout, so a slow Identity reaches Orders as a fault it retries, not a silent timeout.
    private static readonly RequestTimeout ForwardTimeout = RequestTimeout.After(s: 4);

    private readonly IBusControl _identitySide;
    private IBusControl? _ordersSide;
    private int _answered;

    private CatchUpRelay(IBusControl identitySide) => _identitySide = identitySide;

    /// <summary>How many catch-up requests Identity answered through the relay.</summary>
    public int Answered => Volatile.Read(ref _answered);

    public static async Task<CatchUpRelay> StartAsync(TestVirtualHost identitySide, TestVirtualHost ordersSide)
    {
        var relay = new CatchUpRelay(VirtualHostBus.Create(identitySide));
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            await relay._identitySide.StartAsync(timeout.Token);
            var identity = relay._identitySide.CreateRequestClient<GetActiveRevocations>(ForwardTimeout);
            relay._ordersSide = VirtualHostBus.Create(ordersSide, cfg => cfg.ReceiveEndpoint("bench-catch-up-relay", endpoint =>
                endpoint.Handler<GetActiveRevocations>(async context =>
                {
                    var answer = await identity.GetResponse<ActiveRevocations>(context.Message, context.CancellationToken);
                    Interlocked.Increment(ref relay._answered);
                    await context.RespondAsync(answer.Message);
                })));
            await relay._ordersSide.StartAsync(timeout.Token);
            return relay;
        }
        catch
        {
            await relay.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_ordersSide is not null)
            await _ordersSide.StopAsync(CancellationToken.None);
        await _identitySide.StopAsync(CancellationToken.None);
    }
}
