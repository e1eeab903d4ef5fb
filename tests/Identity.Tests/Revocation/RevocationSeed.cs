using Npgsql;

namespace Platform.Identity.Tests.Revocation;

/// <summary>
/// Writes revoked users and sessions straight into Identity's tables, many at once: through the API each would cost
/// a sign-up and a password hash. Times are spread over a few seconds so many rows share one, as in a bulk operation.
/// </summary>
internal static class RevocationSeed
{
    public static async Task<List<Guid>> UsersAsync(IdentityApp app, int count, DateTimeOffset? at)
    {
        await using var connection = await OpenAsync(app);
        await using var command = new NpgsqlCommand("""
            INSERT INTO "AspNetUsers" ("Id", "AccessFailedCount", "CreatedAt", "EmailConfirmed", "IsActive", "LockoutEnabled",
                "PhoneNumberConfirmed", "TwoFactorEnabled", "DeactivatedAt")
            SELECT gen_random_uuid(), 0, @now, false, @at IS NULL, false, false, false, @at + (i % 5) * interval '1 second'
            FROM generate_series(1, @count) i
            RETURNING "Id"
            """, connection);
        command.Parameters.AddWithValue("count", count);
        command.Parameters.AddWithValue("now", app.Time.GetUtcNow());
        command.Parameters.Add(new NpgsqlParameter("at", NpgsqlTypes.NpgsqlDbType.TimestampTz) { Value = (object?)at ?? DBNull.Value });
        return await ReadIdsAsync(command);
    }

    public static async Task<List<Guid>> SessionsAsync(IdentityApp app, Guid userId, int count, DateTimeOffset? revokedAt)
    {
        await using var connection = await OpenAsync(app);
        await using var command = new NpgsqlCommand("""
            INSERT INTO "Sessions" ("Id", "UserId", "CreatedAt", "ExpiresAt", "LastSeenAt", "SecurityStamp", "RevokedAt")
            SELECT gen_random_uuid(), @user, @now, @now + interval '1 day', @now, 'seed', @at + (i % 5) * interval '1 second'
            FROM generate_series(1, @count) i
            RETURNING "Id"
            """, connection);
        command.Parameters.AddWithValue("user", userId);
        command.Parameters.AddWithValue("count", count);
        command.Parameters.AddWithValue("now", app.Time.GetUtcNow());
        command.Parameters.Add(new NpgsqlParameter("at", NpgsqlTypes.NpgsqlDbType.TimestampTz) { Value = (object?)revokedAt ?? DBNull.Value });
        return await ReadIdsAsync(command);
    }

    private static async Task<NpgsqlConnection> OpenAsync(IdentityApp app)
    {
        var connection = new NpgsqlConnection(app.Database.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static async Task<List<Guid>> ReadIdsAsync(NpgsqlCommand command)
    {
        var ids = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            ids.Add(reader.GetGuid(0));
        return ids;
    }
}
