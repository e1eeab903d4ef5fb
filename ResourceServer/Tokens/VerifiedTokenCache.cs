using System.Collections.Concurrent;
using System.IO.Hashing;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Platform.ResourceServer.Tokens;

/// <summary>
/// Tokens whose signature and claims were verified, so a repeat presentation skips the RSA check and the JSON parsing.
/// An entry is a <see cref="CachedAccessToken"/> (a hundred-odd bytes) under a 128-bit XxHash128 of the token, seeded
/// with a secret drawn per process, not the token itself (several hundred bytes).
/// Why a seeded hash and no compare of the full token on a hit: a collision hands the presenter the principal of the
/// token it collides with, so it is only worth something against a token the attacker does not hold (whoever holds a
/// token can present it). Against a token they do not know, with a seed they do not know, they cannot even compute the
/// target's hash, let alone craft a second input for it, and blind guessing needs about 2^128 / entries tries. Any
/// collision they can craft between tokens they hold earns nothing they did not have, and the deny-list, expiry and
/// key checks on every hit are those of the cached token. Keeping the token to compare would cost its whole length.
/// Lookups take no lock; inserts (after a full validation, so already tens of microseconds) take one to keep the
/// first-in-first-out eviction order exact and the entry count at most <see cref="TokenCacheOptions.MaxEntries"/>.
/// A token is admitted on its second verification, not its first: caching on first sight makes every miss pay for an
/// entry that a token presented once never repays, and lets one-off tokens evict the ones in use.
/// </summary>
public sealed class VerifiedTokenCache
{
    // The tail of an RS256 token is its signature: 32 characters of it tell two verified tokens apart.
    private const int FingerprintLength = 32;

    private readonly ConcurrentDictionary<UInt128, CachedAccessToken> _entries;
    private readonly UInt128[] _insertionOrder;
    private readonly int[] _verifiedOnce;
    private readonly long _seed = BitConverter.ToInt64(RandomNumberGenerator.GetBytes(sizeof(long)));
    private readonly Lock _insertLock = new();
    private readonly TimeProvider _time;
    private int _next;
    private int _filled;
    private long _hits;

    public VerifiedTokenCache(TimeProvider time, IOptions<TokenCacheOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = time;
        Enabled = options.Value.Enabled;
        var capacity = options.Value.MaxEntries;
        _entries = new ConcurrentDictionary<UInt128, CachedAccessToken>(Environment.ProcessorCount, capacity);
        _insertionOrder = new UInt128[capacity];
        // Four slots per entry: a token in use is usually presented again before a one-off token takes its slot.
        _verifiedOnce = new int[BitOperations.RoundUpToPowerOf2((uint)capacity * 4)];
    }

    public bool Enabled { get; }

    public int Count => _entries.Count;

    /// <summary>Presentations answered from the cache since start (a hit still passes the trust and deny-list checks).</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>The cached token, when exactly this one was verified and has not reached its <c>exp</c>.</summary>
    public bool TryGet(string token, out CachedAccessToken verified)
    {
        ArgumentNullException.ThrowIfNull(token);
        var key = Key(token);
        if (_entries.TryGetValue(key, out var entry))
        {
            if (_time.GetUtcNow().ToUnixTimeSeconds() < entry.Expires)
            {
                verified = entry;
                return true;
            }

            // Removing the exact pair leaves alone an entry another thread just re-added.
            _entries.TryRemove(new KeyValuePair<UInt128, CachedAccessToken>(key, entry));
        }

        verified = null!;
        return false;
    }

    /// <summary>Whether exactly this token is cached and unexpired, without allocating its string.</summary>
    public bool Contains(ReadOnlySpan<char> token) =>
        Enabled && _entries.TryGetValue(Key(token), out var entry) && _time.GetUtcNow().ToUnixTimeSeconds() < entry.Expires;

    internal void CountHit() => Interlocked.Increment(ref _hits);

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
    public void Add(string token, CachedAccessToken verified)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(verified);
        if (_time.GetUtcNow().ToUnixTimeSeconds() >= verified.Expires)
            return;

        var key = Key(token);
        lock (_insertLock)
        {
            if (_entries.ContainsKey(key))
                return;
            // Evict before adding, so a lock-free reader never sees more than the cap.
            if (_filled == _insertionOrder.Length)
                _entries.TryRemove(_insertionOrder[_next], out _);
            else
                _filled++;
            _entries[key] = verified;
            _insertionOrder[_next] = key;
            _next = (_next + 1) % _insertionOrder.Length;
        }
    }

    private UInt128 Key(ReadOnlySpan<char> token) => XxHash128.HashToUInt128(MemoryMarshal.AsBytes(token), _seed);
}
