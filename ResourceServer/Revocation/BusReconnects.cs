using System.Threading.Channels;
using MassTransit;

namespace Platform.ResourceServer.Revocation;

/// <summary>
/// Tells <see cref="RevocationCatchUp"/> when this instance's queue is consuming again after the broker connection was
/// lost. Events published meanwhile may be gone: the broker deletes an instance queue left unused past its expiry and
/// recreates it empty, so the deny-list is stale until the catch-up runs again.
/// </summary>
internal sealed class BusReconnects : IReceiveEndpointObserver
{
    private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
    });

    private int _readies;

    public Task Ready(ReceiveEndpointReady ready)
    {
        // The first time is the start, which the catch-up covers already; every later one follows a reconnect.
        if (ready.IsStarted && Interlocked.Increment(ref _readies) > 1)
            _signal.Writer.TryWrite(true);
        return Task.CompletedTask;
    }

    public Task Stopping(ReceiveEndpointStopping stopping) => Task.CompletedTask;

    public Task Completed(ReceiveEndpointCompleted completed) => Task.CompletedTask;

    public Task Faulted(ReceiveEndpointFaulted faulted) => Task.CompletedTask;

    /// <summary>Completes at the next reconnect (or at once if one happened since the last call).</summary>
    public async Task WaitAsync(CancellationToken cancellationToken) => await _signal.Reader.ReadAsync(cancellationToken);
}
