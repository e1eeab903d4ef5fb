using System.Buffers;
using System.Collections.Concurrent;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Platform.ResourceServer.Tokens;

/// <summary>
/// Tokens whose signature and claims were verified, so a repeat presentation can skip the RSA check. Keyed by the
/// SHA-256 of the whole token: a non-cryptographic 128-bit hash is faster, but an attacker can construct collisions
/// for it, and a collision here would let a forged token ride on a genuine one. SHA-256 with the CPU's SHA extensions
/// costs well under a microsecond for a token, an order of magnitude below the RSA check it replaces.
/// Lookups take no lock; inserts (after a full validation, so already tens of microseconds) take one to keep the
/// first-in-first-out eviction order exact and the entry count at most <see cref="TokenCacheOptions.MaxEntries"/>.
/// A token is admitted on its second verification, not its first. Caching on first sight makes every miss pay for an
/// entry (a parsed token of a few KB that outlives its request, so the GC promotes it), which a token presented once
/// never repays; it would also let one-off tokens evict the ones in use.
/// </summary>
public sealed class VerifiedTokenCache
{
    private readonly ConcurrentDictionary<TokenHash, VerifiedToken> _entries = new();
    private readonly TokenHash[] _insertionOrder;
    private readonly ulong[] _verifiedOnce;
    private readonly Lock _insertLock = new();
    private readonly TimeProvider _time;
    private int _next;
    private int _filled;

    public VerifiedTokenCache(TimeProvider time, IOptions<TokenCacheOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = time;
        Enabled = options.Value.Enabled;
        _insertionOrder = new TokenHash[options.Value.MaxEntries];
        _verifiedOnce = new ulong[BitOperations.RoundUpToPowerOf2((uint)options.Value.MaxEntries)];
    }

    public bool Enabled { get; }

    public int Capacity => _insertionOrder.Length;

    public int Count => _entries.Count;

    /// <summary>The cached token, when one with exactly these bytes was verified and has not reached its <c>exp</c>.</summary>
    public bool TryGet(in TokenHash key, out JsonWebToken token)
    {
        if (_entries.TryGetValue(key, out var entry))
        {
            if (_time.GetUtcNow().ToUnixTimeSeconds() < entry.ExpiresUnixSeconds)
            {
                token = entry.Token;
                return true;
            }

            // Removing the exact pair leaves alone an entry another thread just re-added.
            _entries.TryRemove(new KeyValuePair<TokenHash, VerifiedToken>(key, entry));
        }

        token = null!;
        return false;
    }

    /// <summary>
    /// Records that the token with this hash passed a full validation, and says whether it had already done so
    /// recently (since another token took its slot): only then is it worth caching. Lock-free and lossy on purpose:
    /// a slot holds one 64-bit fingerprint, an overwrite or a torn race only costs a repeat one more full check, and
    /// a false "yes" only caches a token that has just been fully verified.
    /// </summary>
    public bool VerifiedBefore(in TokenHash key)
    {
        ref var slot = ref _verifiedOnce[(int)(key.A & (ulong)(_verifiedOnce.Length - 1))];
        // Never zero, so an empty slot matches no token.
        var fingerprint = key.B | 1;
        if (Volatile.Read(ref slot) == fingerprint)
            return true;
        Volatile.Write(ref slot, fingerprint);
        return false;
    }

    /// <summary>Only call with a token that passed every check; the entry lives until the token's <c>exp</c>.</summary>
    public void Add(in TokenHash key, JsonWebToken token, long expiresUnixSeconds)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (_time.GetUtcNow().ToUnixTimeSeconds() >= expiresUnixSeconds)
            return;

        lock (_insertLock)
        {
            if (!_entries.TryAdd(key, new VerifiedToken(token, expiresUnixSeconds)))
                return;
            if (_filled == _insertionOrder.Length)
                _entries.TryRemove(_insertionOrder[_next], out _);
            else
                _filled++;
            _insertionOrder[_next] = key;
            _next = (_next + 1) % _insertionOrder.Length;
        }
    }

    private sealed record VerifiedToken(JsonWebToken Token, long ExpiresUnixSeconds);
}

/// <summary>The SHA-256 of a token's characters, as a 32-byte value type (no allocation per lookup).</summary>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct TokenHash(ulong A, ulong B, ulong C, ulong D)
{
    private const int StackLimit = 2048;

    public static TokenHash Of(ReadOnlySpan<char> token)
    {
        var length = Encoding.UTF8.GetMaxByteCount(token.Length);
        byte[]? rented = length > StackLimit ? ArrayPool<byte>.Shared.Rent(length) : null;
        var buffer = rented ?? stackalloc byte[StackLimit];
        try
        {
            var written = Encoding.UTF8.GetBytes(token, buffer);
            Span<ulong> digest = stackalloc ulong[4];
            SHA256.HashData(buffer[..written], MemoryMarshal.AsBytes(digest));
            return new TokenHash(digest[0], digest[1], digest[2], digest[3]);
        }
        finally
        {
            if (rented is not null)
                ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
