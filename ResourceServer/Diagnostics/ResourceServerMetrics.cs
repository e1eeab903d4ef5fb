using System.Diagnostics.Metrics;

namespace Platform.ResourceServer.Diagnostics;

/// <summary>
/// What an operator watches to know revocations arrive: how many entries are held, when the last event was applied
/// and how far behind the events were when applied.
/// </summary>
public sealed class ResourceServerMetrics
{
    public const string MeterName = "Platform.ResourceServer";

    private readonly Histogram<double> _lag;
    private long _lastAppliedUnixMilliseconds;

    public ResourceServerMetrics(IMeterFactory meterFactory, TimeProvider time)
    {
        Time = time;
        var meter = meterFactory.Create(MeterName);
        _lag = meter.CreateHistogram<double>("platform.revocation.lag", "s", "Time from a revocation event to its application.");
        meter.CreateObservableGauge("platform.revocation.last_applied", () => Interlocked.Read(ref _lastAppliedUnixMilliseconds) / 1000.0,
            "s", "Unix time the last revocation event was applied.");
        meter.CreateObservableGauge("platform.revocation.entries", () => EntriesSource?.Invoke() ?? 0,
            "{entry}", "Revoked users and sessions held in memory.");
    }

    internal TimeProvider Time { get; }

    /// <summary>Set by the deny-list once built: the metrics exist before it, the gauge reads it lazily.</summary>
    internal Func<int>? EntriesSource { get; set; }

    internal void EventApplied(TimeSpan lag)
    {
        _lag.Record(Math.Max(0, lag.TotalSeconds));
        Interlocked.Exchange(ref _lastAppliedUnixMilliseconds, Time.GetUtcNow().ToUnixTimeMilliseconds());
    }
}
