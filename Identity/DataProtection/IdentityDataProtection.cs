using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;

namespace Platform.Identity.DataProtection;

/// <summary>
/// The key ring that protects password-reset tokens lives in Identity's database, encrypted with the KEK, so every
/// instance on that database accepts every other instance's reset tokens and no key lies in plain files.
/// </summary>
public static class IdentityDataProtection
{
    // Any constant works, as long as every instance uses the same one and nothing else in the database does.
    private const long KeyRingLockId = 0x1D_E7_D0_7E_C7;

    public static IServiceCollection AddIdentityDataProtection(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName("platform-identity").PersistKeysToDbContext<IdentityDb>();
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(
            keys => keys.XmlEncryptor = new KeyRingEncryptor(sp.GetRequiredService<KeyEncryption>())));
        return services;
    }

    /// <summary>
    /// Creates the first key before the server listens, one instance at a time. Left to first use, instances starting
    /// together would each create a key of their own and refuse each other's tokens until their key rings refresh.
    /// </summary>
    public static async Task EnsureKeyRingAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({KeyRingLockId})", cancellationToken);

        var keys = services.GetRequiredService<IKeyManager>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        if (!keys.GetAllKeys().Any(k => !k.IsRevoked && k.ActivationDate <= now && now < k.ExpirationDate))
        {
            var lifetime = services.GetRequiredService<IOptions<KeyManagementOptions>>().Value.NewKeyLifetime;
            keys.CreateNewKey(now, now + lifetime);
        }

        await transaction.CommitAsync(cancellationToken);
    }
}
