namespace Platform.Identity.Data;

/// <summary>
/// Consecutive wrong passwords for one account from one client network, and until when that network is locked out of
/// the account. Keyed by network rather than by account alone, so guessing from one place never shuts the owner out
/// from another.
/// </summary>
public sealed class LoginThrottle
{
    public Guid UserId { get; set; }

    /// <summary>The client's network in CIDR notation (see <c>Accounts/ClientNetwork</c>).</summary>
    public required string Network { get; set; }

    public int Failures { get; set; }

    public DateTimeOffset? LockedUntil { get; set; }

    public DateTimeOffset LastFailureAt { get; set; }
}
