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

    // Kept by hand: ConcurrentDictionary.Count takes every lock of the dictionary (up to 1024 once it has grown), and
    // the capacity check reads the count after each new entry, which made a million-entry catch-up take a minute.
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public int MaxEntries => maxEntries;

    public bool IsOverCapacity => Volatile.Read(ref _overCapacity) == 1;

    /// <summary>Whether tokens signed with this key id are refused; one read of an almost always empty dictionary.</summary>
    public bool IsKeyRevoked(string? keyId) => !_keys.IsEmpty && keyId is not null && _keys.ContainsKey(keyId);

    /// <returns>Whether the list changed; a redelivered event changes nothing.</returns>
    public bool RevokeKey(string keyId, DateTimeOffset revokedAt)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyId);
        var changed = _keys.TryAdd(keyId, revokedAt);
        if (changed)
            Interlocked.Increment(ref _count);
        Applied(revokedAt, changed, changed);
        return changed;
    }

    /// <param name="userId">The token's subject: a user, or a service client (disabling one is recorded as a user's deactivation).</param>
    /// <param name="sessionId">None for a service client's token.</param>
    public bool IsRevoked(Guid userId, Guid? sessionId, long issuedAtUnixSeconds) =>
        (_users.TryGetValue(userId, out var cutoff) && issuedAtUnixSeconds <= cutoff) || (sessionId is { } sid && _sessions.ContainsKey(sid));

    /// <returns>Whether the list changed; a redelivered or older event changes nothing.</returns>
    public bool DeactivateUser(Guid userId, DateTimeOffset deactivatedAt)
    {
        var cutoff = CeilingUnixSeconds(deactivatedAt);
        if (IsPastRetention(cutoff))
            return false;

        // A compare-and-swap loop rather than AddOrUpdate with lambdas: no closure per call, which a catch-up of a
        // million entries would otherwise allocate a million times.
        bool changed, added;
        while (true)
        {
            if (_users.TryGetValue(userId, out var existing))
            {
                added = false;
                changed = cutoff > existing;
                if (!changed || _users.TryUpdate(userId, cutoff, existing))
                    break;
            }
            else if (_users.TryAdd(userId, cutoff))
            {
                changed = added = true;
                break;
            }
        }

        if (added)
            Interlocked.Increment(ref _count);
        Applied(deactivatedAt, changed, added);
        return changed;
    }

    /// <returns>Whether the list changed; a redelivered event changes nothing.</returns>
    public bool RevokeSession(Guid sessionId, DateTimeOffset revokedAt)
    {
        var at = CeilingUnixSeconds(revokedAt);
        if (IsPastRetention(at))
            return false;

        // The time only decides when the entry may go, so a later one moves it; only a new session changes the list.
        bool changed;
        while (true)
        {
            if (_sessions.TryAdd(sessionId, at))
            {
                changed = true;
                Interlocked.Increment(ref _count);
                break;
            }

            changed = false;
            if (_sessions.TryGetValue(sessionId, out var existing) && (at <= existing || _sessions.TryUpdate(sessionId, at, existing)))
                break;
        }

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
            {
                removed++;
                Interlocked.Decrement(ref _count);
            }
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
