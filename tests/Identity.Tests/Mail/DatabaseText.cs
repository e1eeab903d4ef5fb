using Npgsql;

namespace Platform.Identity.Tests.Mail;

/// <summary>Every row of every table of Identity's database, as text: what a reader of the database sees.</summary>
internal static class DatabaseText
{
    public static async Task<string> ReadAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
                tables.Add(reader.GetString(0));
        }

        var text = new StringBuilder();
        foreach (var table in tables)
        {
            await using var select = new NpgsqlCommand($"SELECT t::text FROM \"{table}\" t", connection);
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                text.Append(table).Append(' ').AppendLine(reader.GetString(0));
        }

        return text.ToString();
    }

    /// <summary>Whether the token shows anywhere, as text or as the bytes of a bytea column (which prints as hex).</summary>
    public static bool Holds(string text, string token) =>
        text.Contains(token, StringComparison.Ordinal)
        || text.Contains(Convert.ToHexStringLower(Encoding.UTF8.GetBytes(token)), StringComparison.Ordinal)
        || text.Contains(Uri.EscapeDataString(token), StringComparison.Ordinal);
}
