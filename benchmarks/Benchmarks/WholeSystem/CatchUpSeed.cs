using Npgsql;
using NpgsqlTypes;

namespace Platform.Benchmarks.WholeSystem;

/// <summary>
/// Fills the tables a catch-up reads with active revocations by binary COPY: half deactivated users, half revoked
/// sessions, dated over the last few minutes so all are inside the token-lifetime window for the whole run.
/// </summary>
public static class CatchUpSeed
{
    private static readonly TimeSpan Spread = TimeSpan.FromMinutes(4);

    public sealed record Entry(bool IsUser, Guid Id, Guid UserId, DateTimeOffset At);

    /// <summary>The entries, generated once so Identity's tables and Orders' table can hold the same ones.</summary>
    public static List<Entry> Generate(int count, DateTimeOffset now)
    {
        var entries = new List<Entry>(count);
        var users = count / 2;
        Guid holder = Guid.Empty;
        for (var i = 0; i < count; i++)
        {
            var at = now - Spread + TimeSpan.FromTicks(Spread.Ticks / count * i);
            if (i < users)
            {
                var id = Guid.NewGuid();
                holder = holder == Guid.Empty ? id : holder;
                entries.Add(new Entry(true, id, id, at));
            }
            else
            {
                // Every seeded session belongs to the first seeded user: the foreign key needs a user, not a distinct one.
                entries.Add(new Entry(false, Guid.NewGuid(), holder, at));
            }
        }

        return entries;
    }

    public static async Task IdentityAsync(string connectionString, List<Entry> entries, DateTimeOffset now)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using (var users = await connection.BeginBinaryImportAsync("""
            COPY "AspNetUsers" ("Id", "AccessFailedCount", "CreatedAt", "EmailConfirmed", "IsActive", "LockoutEnabled",
                "PhoneNumberConfirmed", "TwoFactorEnabled", "DeactivatedAt") FROM STDIN (FORMAT BINARY)
            """))
        {
            foreach (var user in entries.Where(e => e.IsUser))
            {
                await users.StartRowAsync();
                await users.WriteAsync(user.Id, NpgsqlDbType.Uuid);
                await users.WriteAsync(0, NpgsqlDbType.Integer);
                await users.WriteAsync(now, NpgsqlDbType.TimestampTz);
                await users.WriteAsync(false, NpgsqlDbType.Boolean);
                await users.WriteAsync(false, NpgsqlDbType.Boolean);
                await users.WriteAsync(false, NpgsqlDbType.Boolean);
                await users.WriteAsync(false, NpgsqlDbType.Boolean);
                await users.WriteAsync(false, NpgsqlDbType.Boolean);
                await users.WriteAsync(user.At, NpgsqlDbType.TimestampTz);
            }

            await users.CompleteAsync();
        }

        await using (var sessions = await connection.BeginBinaryImportAsync("""
            COPY "Sessions" ("Id", "UserId", "CreatedAt", "ExpiresAt", "LastSeenAt", "SecurityStamp", "RevokedAt") FROM STDIN (FORMAT BINARY)
            """))
        {
            foreach (var session in entries.Where(e => !e.IsUser))
            {
                await sessions.StartRowAsync();
                await sessions.WriteAsync(session.Id, NpgsqlDbType.Uuid);
                await sessions.WriteAsync(session.UserId, NpgsqlDbType.Uuid);
                await sessions.WriteAsync(now, NpgsqlDbType.TimestampTz);
                await sessions.WriteAsync(now.AddDays(1), NpgsqlDbType.TimestampTz);
                await sessions.WriteAsync(now, NpgsqlDbType.TimestampTz);
                await sessions.WriteAsync("seed", NpgsqlDbType.Text);
                await sessions.WriteAsync(session.At, NpgsqlDbType.TimestampTz);
            }

            await sessions.CompleteAsync();
        }

        await using var analyze = new NpgsqlCommand("""ANALYZE "AspNetUsers"; ANALYZE "Sessions";""", connection);
        await analyze.ExecuteNonQueryAsync();
    }

    /// <summary>Orders' own table, as its shared store queue would have filled it.</summary>
    public static async Task OrdersAsync(string connectionString, List<Entry> entries, TimeSpan retention)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using (var rows = await connection.BeginBinaryImportAsync(
            "COPY resource_server_revocations (kind, subject_id, user_id, revoked_at, expires_at) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var entry in entries)
            {
                await rows.StartRowAsync();
                await rows.WriteAsync(entry.IsUser ? "user" : "session", NpgsqlDbType.Varchar);
                await rows.WriteAsync(entry.Id, NpgsqlDbType.Uuid);
                await rows.WriteAsync(entry.UserId, NpgsqlDbType.Uuid);
                await rows.WriteAsync(entry.At, NpgsqlDbType.TimestampTz);
                await rows.WriteAsync(entry.At + retention, NpgsqlDbType.TimestampTz);
            }

            await rows.CompleteAsync();
        }

        await using var analyze = new NpgsqlCommand("ANALYZE resource_server_revocations;", connection);
        await analyze.ExecuteNonQueryAsync();
    }
}
