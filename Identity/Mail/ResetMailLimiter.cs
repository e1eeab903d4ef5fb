using System.Threading.RateLimiting;

namespace Platform.Identity.Mail;

/// <summary>
/// Caps reset requests per target address (Identity:Mail:RequestsPerAddress per RequestWindow). Forgot-password is
/// anonymous, so without a cap anyone could flood a user's mailbox with reset mails, from as many client addresses as
/// they have. A request over the cap is answered exactly like any other (202) and sends nothing; the cap applies
/// alike to addresses with and without an account, so hitting it tells nothing about either. Counted per instance:
/// with N instances behind a balancer an address gets at most N times the cap.
/// </summary>
public sealed class ResetMailLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public ResetMailLimiter(IOptions<MailOptions> options)
    {
        var settings = options.Value;
        _limiter = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetFixedWindowLimiter(
            address,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = settings.RequestsPerAddress, Window = settings.RequestWindow, QueueLimit = 0 }));
    }

    /// <summary>True while <paramref name="normalizedAddress"/> is within its cap; counts the request.</summary>
    public bool TryAcquire(string normalizedAddress)
    {
        using var lease = _limiter.AttemptAcquire(normalizedAddress);
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();
}
