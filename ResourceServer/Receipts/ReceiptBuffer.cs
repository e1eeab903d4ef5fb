using System.Threading.Channels;

namespace Platform.ResourceServer.Receipts;

/// <summary>
/// Receipts waiting for <see cref="ReceiptPublisher"/>. Bounded: while the broker is away receipts pile up here, and
/// past the capacity the oldest are dropped (and counted) rather than the revocations slowed or memory spent.
/// </summary>
internal sealed class ReceiptBuffer
{
    public const int Capacity = 100_000;

    private readonly Channel<RevocationApplied> _channel;
    private readonly ResourceServerInstance _instance;
    private readonly TimeProvider _time;
    private long _dropped;

    public ReceiptBuffer(ResourceServerInstance instance, TimeProvider time)
    {
        _instance = instance;
        _time = time;
        _channel = Channel.CreateBounded<RevocationApplied>(
            new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => Interlocked.Increment(ref _dropped));
    }

    public ChannelReader<RevocationApplied> Reader => _channel.Reader;

    /// <summary>Receipts lost to a full buffer or to a publish that kept failing, since the start.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public void Add(Guid eventId) => _channel.Writer.TryWrite(new RevocationApplied(eventId, _instance.Id, _time.GetUtcNow()));

    public void CountDropped(int count) => Interlocked.Add(ref _dropped, count);
}
