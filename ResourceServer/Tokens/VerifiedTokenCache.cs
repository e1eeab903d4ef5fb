using System.Collections.Concurrent;
using System.Numerics;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Platform.ResourceServer.Tokens;

/// <summary>
/// Tokens whose signature and claims were verified, so a repeat presentation can skip the RSA check.
/// Keyed by the token itself and compared ordinally in full, so a hash collision can only cost a lookup, never let a
/// forged token ride on a genuine one; the key is the string the parsed token keeps anyway, so it costs no memory, and
/// a lookup is a hash and a compare of the token's characters (a fraction of a microsecond, a digest would cost more).
/// Only tokens that passed a full validation are inserted, so nobody without Identity's signing key chooses the keys.
/// Lookups take no lock; inserts (after a full validation, so already tens of microseconds) take one to keep the
/// first-in-first-out eviction order exact and the entry count at most <see cref="TokenCacheOptions.MaxEntries"/>.
/// A token is admitted on its second verification, not its first. Caching on first sight makes every miss pay for an
/// entry (a parsed token of a few KB that outlives its request, so the GC promotes it), which a token presented once
/// never repays; it would also let one-off tokens evict the ones in use.
/// </summary>
public sealed class VerifiedTokenCache
{
    // The tail of an RS256 token is its signature: 32 characters of it tell two verified tokens apart.
    private const int FingerprintLength = 32;

    private readonly ConcurrentDictionary<string, VerifiedToken> _entries = new(StringComparer.Ordinal);
    private readonly string[] _insertionOrder;
    private readonly int[] _verifiedOnce;
    private readonly Lock _insertLock = new();
    private readonly TimeProvider _time;
    private int _next;
    private int _filled;

    public VerifiedTokenCache(TimeProvider time, IOptions<TokenCacheOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = time;
        Enabled = options.Value.Enabled;
        _insertionOrder = new string[options.Value.MaxEntries];
        // Four slots per entry: a token in use is usually presented again before a one-off token takes its slot.
        _verifiedOnce = new int[BitOperations.RoundUpToPowerOf2((uint)options.Value.MaxEntries * 4)];
    }

    public bool Enabled { get; }

    public int Count => _entries.Count;

    /// <summary>The cached token, when exactly this one was verified and has not reached its <c>exp</c>.</summary>
    public bool TryGet(string token, out JsonWebToken verified)
    {
        if (_entries.TryGetValue(token, out var entry))
        {
            if (_time.GetUtcNow().ToUnixTimeSeconds() < entry.ExpiresUnixSeconds)
            {
                verified = entry.Token;
                return true;
            }

            // Removing the exact pair leaves alone an entry another thread just re-added.
            _entries.TryRemove(new KeyValuePair<string, VerifiedToken>(token, entry));
        }

        verified = null!;
        return false;
    }

    /// <summary>
    /// Records that this token passed a full validation, and says whether it had already done so recently (since
    /// another token took its slot): only then is it worth caching. Lock-free and lossy on purpose: a slot holds one
    /// fingerprint (a per-process randomized hash of the signature's tail), an overwrite costs a repeat one more full
    /// check, and a false "yes" only caches a token that has just been fully verified.
    /// </summary>
    public bool VerifiedBefore(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var hash = string.GetHashCode(token.AsSpan(Math.Max(0, token.Length - FingerprintLength)));
        ref var slot = ref _verifiedOnce[hash & (_verifiedOnce.Length - 1)];
        // Never zero, so an empty slot matches no token.
        var fingerprint = hash | 1;
        if (Volatile.Read(ref slot) == fingerprint)
            return true;
        Volatile.Write(ref slot, fingerprint);
        return false;
    }

    /// <summary>Only call with a token that passed every check; the entry lives until the token's <c>exp</c>.</summary>
    public void Add(string token, JsonWebToken verified, long expiresUnixSeconds)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(verified);
        if (_time.GetUtcNow().ToUnixTimeSeconds() >= expiresUnixSeconds)
            return;

        lock (_insertLock)
        {
            if (_entries.ContainsKey(token))
                return;
            // Evict before adding, so a lock-free reader never sees more than the cap.
            if (_filled == _insertionOrder.Length)
                _entries.TryRemove(_insertionOrder[_next], out _);
            else
                _filled++;
            _entries[token] = new VerifiedToken(verified, expiresUnixSeconds);
            _insertionOrder[_next] = token;
            _next = (_next + 1) % _insertionOrder.Length;
        }
    }

    private sealed record VerifiedToken(JsonWebToken Token, long ExpiresUnixSeconds);
}
