using System.Diagnostics.Metrics;
using Platform.Identity.Diagnostics;

namespace Platform.Identity.PasswordHashing;

/// <summary>
/// On Identity's meter: hashes waiting for a turn, how long they waited, and those refused. A steady queue or any
/// refusal says logins arrive faster than the cores hash them.
/// </summary>
public sealed class PasswordHashingMetrics
{
    private readonly UpDownCounter<long> _waiting;
    private readonly Histogram<double> _waitDuration;
    private readonly Counter<long> _rejected;

    public PasswordHashingMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(IdentityMetrics.MeterName);
        _waiting = meter.CreateUpDownCounter<long>("platform.identity.password_hashing.waiting", "{hash}",
            "Password hashes waiting for a turn now.");
        _waitDuration = meter.CreateHistogram<double>("platform.identity.password_hashing.wait_duration", "s",
            "How long a password hash that could not start at once waited, whether or not it got a turn.");
        _rejected = meter.CreateCounter<long>("platform.identity.password_hashing.rejected", "{hash}",
            "Password hashes refused with 503, by reason: queue_full or timed_out.");
    }

    internal void WaitStarted() => _waiting.Add(1);

    internal void WaitEnded(TimeSpan waited)
    {
        _waiting.Add(-1);
        _waitDuration.Record(waited.TotalSeconds);
    }

    internal void Rejected(string reason) => _rejected.Add(1, new KeyValuePair<string, object?>("reason", reason));
}

/// <summary>The <c>reason</c> tag values of <c>platform.identity.password_hashing.rejected</c>.</summary>
public static class PasswordHashingRejections
{
    public const string QueueFull = "queue_full";
    public const string TimedOut = "timed_out";
}
