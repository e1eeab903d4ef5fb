using System.Diagnostics.Metrics;

namespace Platform.ResourceServer.Diagnostics;

/// <summary>
/// What an operator watches to know revocations arrive and tokens are judged: how many entries are held, when the
/// last event was applied, how far behind the events were when applied, why tokens were refused, and the alarms:
/// revocations possibly stale (Identity has not answered the catch-up), events refused, the deny-list over capacity.
/// </summary>
public sealed class ResourceServerMetrics
{
    public const string MeterName = "Platform.ResourceServer";

    private readonly Histogram<double> _lag;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _eventsRefused;
    private long _lastAppliedUnixMilliseconds;

    // Not caught up until the first catch-up answer: the gauge must never claim more than readiness does.
    private int _stale = 1;

    public ResourceServerMetrics(IMeterFactory meterFactory, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        Time = time;
        var meter = meterFactory.Create(MeterName);
        _lag = meter.CreateHistogram<double>("platform.revocation.lag", "s", "Time from a revocation event to its application.");
        _rejected = meter.CreateCounter<long>("platform.resource_server.tokens.rejected", "{token}",
            "Presented access tokens refused, by reason (signature, expired, audience, revoked, ...).");
        meter.CreateObservableGauge("platform.revocation.last_applied", () => Interlocked.Read(ref _lastAppliedUnixMilliseconds) / 1000.0,
            "s", "Unix time the last revocation event was applied.");
        meter.CreateObservableGauge("platform.revocation.since_last_event", SecondsSinceLastEvent,
            "s", "Seconds since the last revocation event was applied; absent until the first one.");
        meter.CreateObservableGauge("platform.revocation.entries", () => EntriesSource?.Invoke() ?? 0,
            "{entry}", "Revoked users and sessions held in memory.");
        _eventsRefused = meter.CreateCounter<long>("platform.revocation.events.refused", "{event}",
            "Revocation events not applied nor stored, by reason (future: dated beyond the clock skew; shape: fields out of bounds; oversized).");
        meter.CreateObservableGauge("platform.revocation.stale", () => Volatile.Read(ref _stale),
            "{flag}", "1 while Identity has not answered the catch-up since start or since the last broker reconnect: revocations may be missing.");
        meter.CreateObservableGauge("platform.revocation.over_capacity", () => OverCapacitySource?.Invoke() == true ? 1 : 0,
            "{flag}", "1 while the deny-list holds more entries than MaxEntries.");
    }

    internal TimeProvider Time { get; }

    /// <summary>Set by the deny-list once built: the metrics exist before it, the gauge reads it lazily.</summary>
    internal Func<int>? EntriesSource { get; set; }

    /// <summary>Set by the deny-list once built, like <see cref="EntriesSource"/>.</summary>
    internal Func<bool>? OverCapacitySource { get; set; }

    internal void EventApplied(TimeSpan lag)
    {
        _lag.Record(Math.Max(0, lag.TotalSeconds));
        Interlocked.Exchange(ref _lastAppliedUnixMilliseconds, Time.GetUtcNow().ToUnixTimeMilliseconds());
    }

    internal void TokenRejected(string reason) => _rejected.Add(1, new KeyValuePair<string, object?>("reason", reason));

    internal void EventRefused(string reason) => _eventsRefused.Add(1, new KeyValuePair<string, object?>("reason", reason));

    internal void RevocationsStale(bool stale) => Volatile.Write(ref _stale, stale ? 1 : 0);

    private IEnumerable<Measurement<double>> SecondsSinceLastEvent()
    {
        var last = Interlocked.Read(ref _lastAppliedUnixMilliseconds);
        if (last == 0)
            yield break;
        yield return new Measurement<double>(Math.Max(0, (Time.GetUtcNow().ToUnixTimeMilliseconds() - last) / 1000.0));
    }
}
