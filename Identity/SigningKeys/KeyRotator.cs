using System.Buffers.Text;

namespace Platform.Identity.SigningKeys;

/// <summary>Creates, schedules and drops signing keys. Instances coordinate through a database advisory lock.</summary>
public sealed partial class KeyRotator(
    IServiceScopeFactory scopes,
    SigningKeyStore store,
    KeyEncryption encryption,
    SpareKeyPair spare,
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
            var live = keys.Where(k => k.RevokedAt is null).ToList();
            var signing = live.Where(k => k.ActivatesAt <= now).MaxBy(k => k.ActivatesAt);
            var hasPending = live.Any(k => k.ActivatesAt > now);

            DateTimeOffset? activatesAt = null;
            if (signing is null && !hasPending)
                activatesAt = now; // the very first key (or none left unrevoked): nothing else could sign
            else if (force)
                activatesAt = now + settings.PropagationTime;
            else if (!hasPending && signing is not null && now >= signing.ActivatesAt + settings.KeyLifetime - settings.PropagationTime)
                activatesAt = now + settings.PropagationTime;

            if (activatesAt is { } at)
            {
                using var rsa = RSA.Create(2048);
                var key = CreateKey(rsa, now, at);
                db.SigningKeys.Add(key);
                live.Add(key);
                createdId = key.Id;
            }

            Schedule(live, now);
            var window = options.Value.RevocationWindow;
            db.SigningKeys.RemoveRange(keys.Where(k => k != signing && k.ActivatesAt <= now && k.RetiresAt + window < now));

            if (db.ChangeTracker.HasChanges())
                await KeyChangeListener.NotifyAsync(db, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        if (createdId is not null)
            LogKeyCreated(logger, createdId);
        await store.ReloadAsync(cancellationToken);
        return createdId;
    }

    /// <summary>
    /// Withdraws a key at once, in the caller's unit of work (which also carries the audit record and the event). A key
    /// that was signing is replaced by a fresh one that signs from now on: validators learn it from the JWKS refetch the
    /// event asks for, or on meeting its unknown kid. Null when no key has this id.
    /// </summary>
    public async Task<KeyRevocation?> RevokeAsync(IdentityDb db, string kid, CancellationToken cancellationToken)
    {
        // The same lock as rotation: a concurrent rotation must not schedule around a key being withdrawn.
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({RotationLockId})", cancellationToken);
        // At the database's precision (microseconds), so a repeated request answers the very time first announced.
        var clock = time.GetUtcNow();
        var now = clock.AddTicks(-(clock.UtcTicks % 10));
        var keys = await db.SigningKeys.OrderBy(k => k.ActivatesAt).ToListAsync(cancellationToken);
        var revoked = keys.Find(k => string.Equals(k.Id, kid, StringComparison.Ordinal));
        if (revoked is null)
            return null;
        if (revoked.RevokedAt is { } earlier)
            return new KeyRevocation(revoked.Id, earlier, Replacement: null, Changed: false);

        var live = keys.Where(k => k.RevokedAt is null).ToList();
        var wasSigning = live.Where(k => k.ActivatesAt <= now).MaxBy(k => k.ActivatesAt) == revoked;
        revoked.RevokedAt = now;
        revoked.RetiresAt = now < revoked.RetiresAt ? now : revoked.RetiresAt;
        live.Remove(revoked);

        SigningKey? replacement = null;
        if (wasSigning)
        {
            // Not published ahead: a leaked key must stop signing now, and the event makes validators refetch at once.
            using var rsa = spare.Take();
            replacement = CreateKey(rsa, now, now);
            db.SigningKeys.Add(replacement);
            live.Add(replacement);
            live.Sort((a, b) => a.ActivatesAt.CompareTo(b.ActivatesAt));
        }

        Schedule(live, now);
        await KeyChangeListener.NotifyAsync(db, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        LogKeyRevoked(logger, revoked.Id, replacement?.Id);
        return new KeyRevocation(revoked.Id, now, replacement?.Id, Changed: true);
    }

    /// <summary>
    /// Each unrevoked key signs until its successor activates; the newest signs for a whole key lifetime. A key already
    /// retired keeps its date, so withdrawing its successor does not publish it for longer.
    /// </summary>
    private void Schedule(List<SigningKey> live, DateTimeOffset now)
    {
        for (var i = 0; i < live.Count; i++)
        {
            if (live[i].RetiresAt > now || live[i].ActivatesAt > now)
                live[i].RetiresAt = i + 1 < live.Count ? live[i + 1].ActivatesAt : live[i].ActivatesAt + options.Value.SigningKeys.KeyLifetime;
        }
    }

    private SigningKey CreateKey(RSA rsa, DateTimeOffset now, DateTimeOffset activatesAt)
    {
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

    [LoggerMessage(LogLevel.Warning, "Signing key {Kid} revoked; {Replacement} signs from now on")]
    private static partial void LogKeyRevoked(ILogger logger, string kid, string? replacement);
}

/// <param name="Replacement">The fresh key that signs in the revoked one's place, when the revoked key was signing.</param>
/// <param name="Changed">False when the key was already revoked: nothing was written.</param>
public sealed record KeyRevocation(string Kid, DateTimeOffset RevokedAt, string? Replacement, bool Changed);
