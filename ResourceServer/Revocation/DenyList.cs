using System.Collections.Concurrent;
using Platform.ResourceServer.Diagnostics;

namespace Platform.ResourceServer.Revocation;

/// <summary>
/// Revoked users, sessions and signing keys, in memory. Lookups are two dictionary reads with no I/O, so every request can afford
/// them; updates come from the bus and from catch-up on other threads. Each entry lives until no token it covers can
/// still be valid, which keeps memory bounded by the revocation rate, not by history.
/// </summary>
public sealed class DenyList(TimeProvider time, ResourceServerMetrics metrics, TimeSpan retentionAfterEvent)
{
    // User id → latest deactivation, as Unix seconds rounded up: iat has whole seconds, so a token issued in the same
    // second as the deactivation is treated as issued before it.
    private readonly ConcurrentDictionary<Guid, long> _users = new();

    // Session id → revocation time in Unix seconds, kept only to know when the entry may go.
    private readonly ConcurrentDictionary<Guid, long> _sessions = new();

    // Signing key id → revocation time. Never dropped: a thief holding the key can mint tokens with any iat, so no
    // token lifetime ends the danger, only the key leaving the JWKS; entries come from rare operator actions.
    private readonly ConcurrentDictionary<string, DateTimeOffset> _keys = new(StringComparer.Ordinal);

    public int Count => _users.Count + _sessions.Count + _keys.Count;

    /// <summary>Whether tokens signed with this key id are refused; one read of an almost always empty dictionary.</summary>
    public bool IsKeyRevoked(string? keyId) => !_keys.IsEmpty && keyId is not null && _keys.ContainsKey(keyId);

    /// <returns>Whether the list changed; a redelivered event changes nothing.</returns>
    public bool RevokeKey(string keyId, DateTimeOffset revokedAt)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyId);
        var changed = _keys.TryAdd(keyId, revokedAt);
        Applied(revokedAt, changed);
        return changed;
    }

    public bool IsRevoked(Guid userId, Guid sessionId, long issuedAtUnixSeconds) =>
        (_users.TryGetValue(userId, out var cutoff) && issuedAtUnixSeconds <= cutoff) || _sessions.ContainsKey(sessionId);

    /// <returns>Whether the list changed; a redelivered or older event changes nothing.</returns>
    public bool DeactivateUser(Guid userId, DateTimeOffset deactivatedAt)
    {
        var cutoff = CeilingUnixSeconds(deactivatedAt);
        if (IsPastRetention(cutoff))
            return false;

        var changed = false;
        _users.AddOrUpdate(
            userId,
            _ => { changed = true; return cutoff; },
            (_, existing) => { changed = cutoff > existing; return Math.Max(existing, cutoff); });
        Applied(deactivatedAt, changed);
        return changed;
    }

    /// <returns>Whether the list changed; a redelivered event changes nothing.</returns>
    public bool RevokeSession(Guid sessionId, DateTimeOffset revokedAt)
    {
        var at = CeilingUnixSeconds(revokedAt);
        if (IsPastRetention(at))
            return false;

        var changed = false;
        _sessions.AddOrUpdate(
            sessionId,
            _ => { changed = true; return at; },
            (_, existing) => Math.Max(existing, at));
        Applied(revokedAt, changed);
        return changed;
    }

    /// <summary>Drops entries no valid token can match any more.</summary>
    /// <returns>How many entries went.</returns>
    public int Purge()
    {
        var removed = PurgeFrom(_users) + PurgeFrom(_sessions);
        return removed;
    }

    internal long? UserCutoff(Guid userId) => _users.TryGetValue(userId, out var cutoff) ? cutoff : null;

    private int PurgeFrom(ConcurrentDictionary<Guid, long> entries)
    {
        var removed = 0;
        foreach (var entry in entries)
        {
            // Removing the exact pair leaves an entry alone when a concurrent event moved it forward meanwhile.
            if (IsPastRetention(entry.Value) && entries.TryRemove(entry))
                removed++;
        }

        return removed;
    }

    private bool IsPastRetention(long eventUnixSeconds) =>
        time.GetUtcNow().ToUnixTimeSeconds() > eventUnixSeconds + (long)retentionAfterEvent.TotalSeconds;

    private void Applied(DateTimeOffset eventTime, bool changed)
    {
        if (changed)
            metrics.EventApplied(time.GetUtcNow() - eventTime);
    }

    internal static long CeilingUnixSeconds(DateTimeOffset at)
    {
        var ticks = at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        return (ticks / TimeSpan.TicksPerSecond) + (ticks % TimeSpan.TicksPerSecond > 0 ? 1 : 0);
    }
}
