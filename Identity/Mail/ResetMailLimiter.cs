using Platform.Identity.RateLimits;

namespace Platform.Identity.Mail;

/// <summary>
/// Caps reset requests per target address (Identity:Mail:RequestsPerAddress per RequestWindow). Forgot-password is
/// anonymous, so without a cap anyone could flood a user's mailbox with reset mails, from as many client addresses as
/// they have. A request over the cap is answered exactly like any other (202) and sends nothing; the cap applies
/// alike to addresses with and without an account, so hitting it tells nothing about either. Counted in the database
/// like every rate limit (<see cref="FixedWindowCounter"/>), so the cap holds across all instances.
/// </summary>
public sealed class ResetMailLimiter(FixedWindowCounter counter, IOptions<MailOptions> options)
{
    private const string Limit = "reset-mail-per-address";

    /// <summary>True while <paramref name="normalizedAddress"/> is within its cap; counts the request.</summary>
    public async Task<bool> TryAcquireAsync(string normalizedAddress, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var decision = await counter.TryAcquireAsync(Limit, normalizedAddress, settings.RequestsPerAddress, settings.RequestWindow, cancellationToken);
        return decision.Allowed;
    }
}
