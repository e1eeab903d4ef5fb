using Npgsql;

namespace Platform.EndToEnd.Tests.Stack;

/// <summary>
/// Reads Identity's outbox where the HTTP API does not expose it. The session is read-only, so the probe can
/// observe the delivery promise but never help it along.
/// </summary>
public static class IdentityDatabaseProbe
{
    public static async Task<int> UnsentOutboxCountAsync(this PlatformStack stack, string? type = null)
    {
        var builder = new NpgsqlConnectionStringBuilder(stack.IdentityDatabase
            ?? throw new InvalidOperationException("An external stack's database is not observable."))
        {
            Options = "-c default_transaction_read_only=on",
            Pooling = false,
        };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM \"OutboxMessages\" WHERE \"SentAt\" IS NULL AND (@type::text IS NULL OR \"Type\" = @type)", connection);
        command.Parameters.AddWithValue("type", (object?)type ?? DBNull.Value);
        return Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
