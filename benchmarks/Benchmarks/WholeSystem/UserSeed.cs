using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Platform.Identity.Data;

namespace Platform.Benchmarks.WholeSystem;

/// <summary>
/// Active users written straight into Identity's table with one real password hash, so ten thousand cost a COPY
/// rather than ten thousand PBKDF2 runs.
/// </summary>
public static class UserSeed
{
    /// <summary>Every seeded user's password; the hash is computed once, with Identity's production iteration count.</summary>
    public const string Password = "bench bulk deactivation passphrase";

    /// <summary>Writes <paramref name="count"/> active users with one COPY and returns their ids in insertion order.</summary>
    public static async Task<(Guid Id, string Email)[]> SeedAsync(TestDatabase identityDatabase, int count, string prefix)
    {
        var hasher = new PasswordHasher<User>(Options.Create(new PasswordHasherOptions { IterationCount = 600_000 }));
        var hash = hasher.HashPassword(new User(), Password);
        var users = Enumerable.Range(0, count).Select(i => (Id: Guid.CreateVersion7(), Email: $"{prefix}-{i}@bench.example")).ToArray();
        await using var connection = new NpgsqlConnection(identityDatabase.ConnectionString);
        await connection.OpenAsync();
        await using (var writer = await connection.BeginBinaryImportAsync("""
            COPY "AspNetUsers" ("Id", "UserName", "NormalizedUserName", "Email", "NormalizedEmail", "EmailConfirmed", "PasswordHash",
                "SecurityStamp", "ConcurrencyStamp", "PhoneNumberConfirmed", "TwoFactorEnabled", "LockoutEnabled", "AccessFailedCount",
                "CreatedAt", "IsActive") FROM STDIN (FORMAT BINARY)
            """))
        {
            var now = DateTimeOffset.UtcNow;
            foreach (var (id, email) in users)
            {
                await writer.StartRowAsync();
                await writer.WriteAsync(id, NpgsqlDbType.Uuid);
                await writer.WriteAsync(email, NpgsqlDbType.Varchar);
                await writer.WriteAsync(email.ToUpperInvariant(), NpgsqlDbType.Varchar);
                await writer.WriteAsync(email, NpgsqlDbType.Varchar);
                await writer.WriteAsync(email.ToUpperInvariant(), NpgsqlDbType.Varchar);
                await writer.WriteAsync(true, NpgsqlDbType.Boolean);
                await writer.WriteAsync(hash, NpgsqlDbType.Text);
                await writer.WriteAsync(Convert.ToHexString(RandomNumberGenerator.GetBytes(16)), NpgsqlDbType.Text);
                await writer.WriteAsync(Guid.NewGuid().ToString(), NpgsqlDbType.Text);
                await writer.WriteAsync(false, NpgsqlDbType.Boolean);
                await writer.WriteAsync(false, NpgsqlDbType.Boolean);
                await writer.WriteAsync(true, NpgsqlDbType.Boolean);
                await writer.WriteAsync(0, NpgsqlDbType.Integer);
                await writer.WriteAsync(now, NpgsqlDbType.TimestampTz);
                await writer.WriteAsync(true, NpgsqlDbType.Boolean);
            }

            await writer.CompleteAsync();
        }

        return users;
    }
}
