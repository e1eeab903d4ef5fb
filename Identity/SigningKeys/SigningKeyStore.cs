using System.Buffers.Text;
using Microsoft.IdentityModel.Tokens;

namespace Platform.Identity.SigningKeys;

public enum KeyStatus
{
    Pending,
    Active,
    Retired,
    Revoked,
}

/// <summary>A key as this instance last loaded it. Only the signing key's private part is ever decrypted.</summary>
public sealed class LoadedKey(SigningKey row, Func<RsaSecurityKey> privateKey)
{
    private readonly Lazy<RsaSecurityKey> _privateKey = new(privateKey);

    public string Id { get; } = row.Id;

    public DateTimeOffset CreatedAt { get; } = row.CreatedAt;

    public DateTimeOffset ActivatesAt { get; } = row.ActivatesAt;

    public DateTimeOffset RetiresAt { get; } = row.RetiresAt;

    public DateTimeOffset? RevokedAt { get; } = row.RevokedAt;

    public string Modulus { get; } = row.Modulus;

    public string Exponent { get; } = row.Exponent;

    public RsaSecurityKey PublicKey { get; } = new(new RSAParameters
    {
        Modulus = Base64Url.DecodeFromChars(row.Modulus),
        Exponent = Base64Url.DecodeFromChars(row.Exponent),
    }) { KeyId = row.Id };

    public RsaSecurityKey PrivateKey => _privateKey.Value;
}

/// <summary>
/// This instance's view of the shared key table. Which key signs and which are published is decided from the
/// current time on every call, so a pending key starts signing exactly when its activation time comes. A revoked key
/// is neither: from the reload that sees its revocation, this instance stops signing with it, publishing it and
/// accepting tokens it signed.
/// </summary>
public sealed class SigningKeyStore(
    IServiceScopeFactory scopes,
    KeyEncryption encryption,
    TimeProvider time,
    IOptions<IdentityServiceOptions> options)
{
    private volatile IReadOnlyList<LoadedKey> _keys = [];

    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
        var rows = await db.SigningKeys.AsNoTracking().OrderBy(k => k.ActivatesAt).ToListAsync(cancellationToken);
        _keys = rows.Select(row => new LoadedKey(row, () => DecryptPrivateKey(row))).ToList();
    }

    /// <summary>The unrevoked key with the latest activation time that has come.</summary>
    public LoadedKey? SigningKey
    {
        get
        {
            var now = time.GetUtcNow();
            return _keys.Where(k => k.RevokedAt is null && k.ActivatesAt <= now).MaxBy(k => k.ActivatesAt);
        }
    }

    /// <summary>Pending keys, the signing key, and retired keys some unexpired token may still carry.</summary>
    public IReadOnlyList<LoadedKey> Published
    {
        get
        {
            var now = time.GetUtcNow();
            var signing = SigningKey;
            var window = options.Value.RevocationWindow;
            return _keys.Where(k => k.RevokedAt is null && (k.ActivatesAt > now || k == signing || k.RetiresAt + window > now)).ToList();
        }
    }

    public IReadOnlyList<LoadedKey> All => _keys;

    public KeyStatus StatusOf(LoadedKey key)
    {
        var now = time.GetUtcNow();
        if (key.RevokedAt is not null)
            return KeyStatus.Revoked;
        return key.ActivatesAt > now ? KeyStatus.Pending : key == SigningKey ? KeyStatus.Active : KeyStatus.Retired;
    }

    /// <summary>
    /// Opens the signing key's private part once, so a key-encryption key other than the one the stored keys were
    /// encrypted with stops the start with a reason, rather than failing every login later.
    /// </summary>
    /// <exception cref="InvalidOperationException">The key-encryption key does not open the stored signing key.</exception>
    public void EnsureSigningKeyOpens()
    {
        var key = SigningKey;
        if (key is null)
            return;
        try
        {
            _ = key.PrivateKey;
        }
        catch (CryptographicException)
        {
            throw new InvalidOperationException(
                $"Identity:KeyEncryptionKey (or Identity:KeyEncryptionKeyFile) does not open the stored signing key {key.Id}: " +
                "it is not the key-encryption key the signing keys were encrypted with. Configure that key; Identity will not start without it.");
        }
    }

    public IEnumerable<SecurityKey> ResolvePublicKeys(string? kid) =>
        Published.Where(k => string.Equals(k.Id, kid, StringComparison.Ordinal)).Select(k => k.PublicKey);

    private RsaSecurityKey DecryptPrivateKey(SigningKey row)
    {
        var pkcs8 = encryption.Decrypt(row.EncryptedPrivateKey, row.Id);
        try
        {
            var rsa = RSA.Create();
            rsa.ImportPkcs8PrivateKey(pkcs8, out _);
            return new RsaSecurityKey(rsa) { KeyId = row.Id };
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }
}
