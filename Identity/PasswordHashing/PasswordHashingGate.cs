using System.Diagnostics;
using System.Globalization;
using System.Threading.RateLimiting;

namespace Platform.Identity.PasswordHashing;

/// <summary>
/// Lets at most <see cref="PasswordHashingOptions.MaxConcurrency"/> password hashes run at once. A 600 000-iteration
/// PBKDF2 holds a core for its whole run, so a burst of logins hashed side by side would take every core, and refresh,
/// JWKS, the operator API and token checks would wait behind it. Excess hashes queue, oldest first, for at most
/// <see cref="PasswordHashingOptions.MaxWait"/>; then, or when the queue is full, <see cref="PasswordHashingBusyException"/>.
/// </summary>
public sealed class PasswordHashingGate : IDisposable
{
    private readonly ConcurrencyLimiter _limiter;
    private readonly TimeSpan _maxWait;
    private readonly PasswordHashingMetrics _metrics;

    public PasswordHashingGate(IOptions<PasswordHashingOptions> options, PasswordHashingMetrics metrics)
    {
        var settings = options.Value;
        _maxWait = settings.MaxWait;
        _metrics = metrics;
        _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = settings.MaxConcurrency,
            QueueLimit = settings.QueueLimit,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        RetryAfterSeconds = Math.Max(1, (int)Math.Ceiling(settings.MaxWait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The <c>Retry-After</c> of a refusal: by then the queue has moved on by at least one wait.</summary>
    public string RetryAfterSeconds { get; }

    /// <summary>Hashes waiting for a turn now.</summary>
    public long Queued => _limiter.GetStatistics()?.CurrentQueuedCount ?? 0;

    /// <summary>
    /// The turn the current request holds (<see cref="PasswordHashingTurns"/>), so its hashes take no second one and
    /// never wait on a thread.
    /// </summary>
    internal static AsyncLocal<RateLimitLease?> HeldTurn { get; } = new();

    /// <summary>A turn, waited for without holding a thread; dispose of it when the hashing is done.</summary>
    /// <exception cref="PasswordHashingBusyException">No turn came within the wait, or the queue was full.</exception>
    public async ValueTask<RateLimitLease> EnterAsync(CancellationToken cancellationToken)
    {
        var lease = _limiter.AttemptAcquire();
        if (lease.IsAcquired)
            return lease;
        lease.Dispose();

        var started = Stopwatch.GetTimestamp();
        _metrics.WaitStarted();
        // Real time on purpose, not the injected TimeProvider: the wait bounds how long a client is kept waiting.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_maxWait);
        try
        {
            lease = await _limiter.AcquireAsync(1, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            _metrics.Rejected(PasswordHashingRejections.TimedOut);
            throw new PasswordHashingBusyException();
        }
        finally
        {
            _metrics.WaitEnded(Stopwatch.GetElapsedTime(started));
        }

        if (lease.IsAcquired)
            return lease;
        lease.Dispose();
        _metrics.Rejected(PasswordHashingRejections.QueueFull);
        throw new PasswordHashingBusyException();
    }

    /// <summary>
    /// A turn for a hash outside the password endpoints (the bootstrap operator at start): the hasher interface is
    /// synchronous, so this one waits on its thread. The endpoints take theirs with <see cref="EnterAsync"/>.
    /// </summary>
    public RateLimitLease Enter() => EnterAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();

    public void Dispose() => _limiter.Dispose();
}
