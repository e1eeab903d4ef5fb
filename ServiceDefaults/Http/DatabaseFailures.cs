using Npgsql;

namespace Platform.ServiceDefaults.Http;

/// <summary>
/// Tells a database that cannot serve (a 503 worth retrying and an operator's alarm) from a database that answered and
/// refused the statement. Only the first is an outage: a refusal caused by a request would otherwise let any client
/// page the on-call with "database unavailable".
/// </summary>
internal static class DatabaseFailures
{
    /// <summary>
    /// No SQL state means the connection itself failed (refused, reset, timed out). With one, only the server's own
    /// condition counts: connection exceptions (08), insufficient resources (53), operator intervention such as a
    /// shutdown (57), system errors (58), a rejected login (28) or a database that is gone (3D000).
    /// </summary>
    public static bool IsOutage(NpgsqlException exception) => exception switch
    {
        PostgresException server => server.SqlState.StartsWith("08", StringComparison.Ordinal)
            || server.SqlState.StartsWith("28", StringComparison.Ordinal)
            || server.SqlState.StartsWith("53", StringComparison.Ordinal)
            || server.SqlState.StartsWith("57", StringComparison.Ordinal)
            || server.SqlState.StartsWith("58", StringComparison.Ordinal)
            || server.SqlState == PostgresErrorCodes.InvalidCatalogName,
        _ => true,
    };

    /// <summary>Class 22, data exception: a value (an offset, a number, a text) the statement could not take.</summary>
    public static bool IsRefusedValue(PostgresException exception) =>
        exception.SqlState.StartsWith("22", StringComparison.Ordinal);
}
