using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Platform.ResourceServer.Diagnostics;

namespace Platform.ResourceServer.Revocation;

/// <summary>
/// Revoked users, sessions and signing keys, in memory. Lookups are two dictionary reads with no I/O, so every request can afford
/// them; updates come from the bus and from catch-up on other threads. Each entry lives until no token it covers can
/// still be valid, which keeps memory bounded by the revocation rate, not by history.
/// </summary>
/// <remarks>
/// Past <paramref name="maxEntries"/> the list raises an alarm and keeps growing. Refusing new revocations would let
/// revoked tokens through, and refusing every token would turn a revocation flood into an outage of the whole API;
/// an operator who sees the alarm (error log, <c>platform.revocation.over_capacity</c>, Degraded readiness) decides.
/// </remarks>
public sealed partial class DenyList(
    TimeProvider time, ResourceServerMetrics metrics, TimeSpan retentionAfterEvent, int maxEntries = int.MaxValue, ILogger? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    // User id → latest deactivation, as Unix seconds rounded up: iat has whole seconds, so a token issued in the same
    // second as the deactivation is treated as issued before it.
    private readonly ConcurrentDictionary<Guid, long> _users = new();

    // Session id → revocation time in Unix seconds, kept only to know when the entry may go.
    private readonly ConcurrentDictionary<Guid, long> _sessions = new();

    // Signing key id → revocation time. Never dropped: a thief holding the key can mint tokens with any iat, so no
    // token lifetime ends the danger, only the key leaving the JWKS; entries come from rare operator actions.
    private readonly ConcurrentDictionary<string, DateTimeOffset> _keys = new(StringComparer.Ordinal);

    // 1 while over capacity; flips once per crossing so the error is logged once, not per event.
    private int _overCapacity;

    public int Count => _users.Count + _sessions.Count + _keys.Count;

    public int MaxEntries => maxEntries;

    public bool IsOverCapacity => Volatile.Read(ref _overCapacity) == 1;

    /// <summary>Whether tokens signed with this key id are refused; one read of an almost always empty dictionary.</summary>
    public bool IsKeyRevoked(string? keyId) => !_keys.IsEmpty && keyId is not null && _keys.ContainsKey(keyId);

    /// <returns>Whether the list changed; a redelivered event changes nothing.</returns>
    public bool RevokeKey(string keyId, DateTimeOffset revokedAt)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyId);
        var changed = _keys.TryAdd(keyId, revokedAt);
        Applied(revokedAt, changed, changed);
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

        bool changed = false, added = false;
        _users.AddOrUpdate(
            userId,
            _ => { changed = added = true; return cutoff; },
            (_, existing) => { changed = cutoff > existing; added = false; return Math.Max(existing, cutoff); });
        Applied(deactivatedAt, changed, added);
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
            (_, existing) => { changed = false; return Math.Max(existing, at); });
        Applied(revokedAt, changed, changed);
        return changed;
    }

    /// <summary>Drops entries no valid token can match any more.</summary>
    /// <returns>How many entries went.</returns>
    public int Purge()
    {
        var removed = PurgeFrom(_users) + PurgeFrom(_sessions);
        if (Count <= maxEntries && Interlocked.CompareExchange(ref _overCapacity, 0, 1) == 1)
            LogBackWithinCapacity(_logger, Count, maxEntries);
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

    private void Applied(DateTimeOffset eventTime, bool changed, bool added)
    {
        if (changed)
            metrics.EventApplied(time.GetUtcNow() - eventTime);
        if (added && Count > maxEntries && Interlocked.CompareExchange(ref _overCapacity, 1, 0) == 0)
            LogOverCapacity(_logger, Count, maxEntries);
    }

    internal static long CeilingUnixSeconds(DateTimeOffset at)
    {
        var ticks = at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        return (ticks / TimeSpan.TicksPerSecond) + (ticks % TimeSpan.TicksPerSecond > 0 ? 1 : 0);
    }

    [LoggerMessage(LogLevel.Error,
        "The deny-list holds {Count} entries, more than MaxEntries ({MaxEntries}); revocations are still applied. Find the source of the revocations or raise the limit.")]
    private static partial void LogOverCapacity(ILogger logger, int count, int maxEntries);

    [LoggerMessage(LogLevel.Information, "The deny-list is back within capacity: {Count} entries, MaxEntries {MaxEntries}.")]
    private static partial void LogBackWithinCapacity(ILogger logger, int count, int maxEntries);
}
