using System.Buffers.Text;

namespace Platform.Identity.SigningKeys;

/// <summary>Creates, schedules and drops signing keys. Instances coordinate through a database advisory lock.</summary>
public sealed partial class KeyRotator(
    IServiceScopeFactory scopes,
    SigningKeyStore store,
    KeyEncryption encryption,
    TimeProvider time,
    IOptions<IdentityServiceOptions> options,
    ILogger<KeyRotator> logger)
{
    // Any constant works, as long as every instance uses the same one and nothing else in the database does.
    private const long RotationLockId = 0x1D_E7_17_4E_75;

    /// <summary>Applies the rotation policy; with <paramref name="force"/> schedules a new key. Returns the new key's id, if any.</summary>
    public async Task<string?> RotateIfDueAsync(bool force, CancellationToken cancellationToken)
    {
        var settings = options.Value.SigningKeys;
        string? createdId = null;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({RotationLockId})", cancellationToken);

            var now = time.GetUtcNow();
            var keys = await db.SigningKeys.OrderBy(k => k.ActivatesAt).ToListAsync(cancellationToken);
            var signing = keys.Where(k => k.ActivatesAt <= now).MaxBy(k => k.ActivatesAt);
            var hasPending = keys.Any(k => k.ActivatesAt > now);

            DateTimeOffset? activatesAt = null;
            if (signing is null && !hasPending)
                activatesAt = now; // the very first key: no validator has cached anything yet
            else if (force)
                activatesAt = now + settings.PropagationTime;
            else if (!hasPending && signing is not null && now >= signing.ActivatesAt + settings.KeyLifetime - settings.PropagationTime)
                activatesAt = now + settings.PropagationTime;

            if (activatesAt is { } at)
            {
                var key = CreateKey(now, at);
                db.SigningKeys.Add(key);
                keys.Add(key);
                createdId = key.Id;
            }

            // Each key signs until its successor activates; the newest signs for a whole key lifetime.
            for (var i = 0; i < keys.Count; i++)
                keys[i].RetiresAt = i + 1 < keys.Count ? keys[i + 1].ActivatesAt : keys[i].ActivatesAt + settings.KeyLifetime;

            var window = options.Value.RevocationWindow;
            db.SigningKeys.RemoveRange(keys.Where(k => k != signing && k.ActivatesAt <= now && k.RetiresAt + window < now));

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        if (createdId is not null)
            LogKeyCreated(logger, createdId);
        await store.ReloadAsync(cancellationToken);
        return createdId;
    }

    private SigningKey CreateKey(DateTimeOffset now, DateTimeOffset activatesAt)
    {
        using var rsa = RSA.Create(2048);
        var parameters = rsa.ExportParameters(includePrivateParameters: false);
        var id = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
        var pkcs8 = rsa.ExportPkcs8PrivateKey();
        try
        {
            return new SigningKey
            {
                Id = id,
                CreatedAt = now,
                ActivatesAt = activatesAt,
                RetiresAt = activatesAt + options.Value.SigningKeys.KeyLifetime,
                Modulus = Base64Url.EncodeToString(parameters.Modulus),
                Exponent = Base64Url.EncodeToString(parameters.Exponent),
                EncryptedPrivateKey = encryption.Encrypt(pkcs8, id),
            };
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    [LoggerMessage(LogLevel.Information, "Signing key {Kid} created")]
    private static partial void LogKeyCreated(ILogger logger, string kid);
}
