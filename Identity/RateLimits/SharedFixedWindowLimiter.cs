using System.Diagnostics;
using System.Threading.RateLimiting;

namespace Platform.Identity.RateLimits;

/// <summary>
/// One partition of a rate-limiter policy, counted by <see cref="FixedWindowCounter"/> rather than in this process, so
/// ASP.NET Core's rate-limiting middleware (its 429 and OnRejected) applies a limit shared by every instance.
/// </summary>
internal sealed class SharedFixedWindowLimiter(FixedWindowCounter counter, string limit, string partition, int permitLimit, TimeSpan window)
    : RateLimiter
{
    private static readonly RateLimitLease Unanswered = new Lease(acquired: false, retryAfter: null);
    private static readonly RateLimitLease Granted = new Lease(acquired: true, retryAfter: null);
    private long _lastUsed = Stopwatch.GetTimestamp();

    /// <summary>Idle since the last attempt: the middleware drops the partition after a while, and nothing is lost, the count being in the database.</summary>
    public override TimeSpan? IdleDuration => Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastUsed));

    public override RateLimiterStatistics? GetStatistics() => null;

    /// <summary>Never granted without the database: the middleware then asks <see cref="AcquireAsyncCore"/>, which counts.</summary>
    protected override RateLimitLease AttemptAcquireCore(int permitCount) => Unanswered;

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _lastUsed, Stopwatch.GetTimestamp());
        if (permitCount == 0)
            return Granted;
        var decision = await counter.TryAcquireAsync(limit, partition, permitLimit, window, cancellationToken);
        return decision.Allowed ? Granted : new Lease(acquired: false, decision.RetryAfter);
    }

    private sealed class Lease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = retryAfter;
            return retryAfter is not null && metadataName == MetadataName.RetryAfter.Name;
        }
    }
}
