namespace Platform.Identity.Data;

/// <summary>
/// How many attempts one limit has counted for one partition (a client network and endpoint, or an address) in its
/// current fixed window. Shared by every instance on the database, so N instances never grant N times a limit.
/// </summary>
public sealed class RateLimitWindow
{
    /// <summary>SHA-256 of the limit and the partition: no address or e-mail is stored as such.</summary>
    public required byte[] Key { get; set; }

    public int Count { get; set; }

    /// <summary>When the window closes: the next attempt opens a new one, and the purge deletes the row some time after.</summary>
    public DateTimeOffset EndsAt { get; set; }
}
