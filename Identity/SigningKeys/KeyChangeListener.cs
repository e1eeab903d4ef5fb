using Npgsql;

namespace Platform.Identity.SigningKeys;

/// <summary>
/// Reloads this instance's keys as soon as any instance changes the key table. A revoked key must stop signing, being
/// published and being accepted on every instance at once, not at each one's next periodic check; a key that signs
/// from now on (the first, or a revoked key's replacement) must be known to every instance before its tokens reach
/// them. The change and its notification commit together (PostgreSQL delivers NOTIFY on commit); the periodic check
/// in <see cref="KeyRotationService"/> still reloads, in case a notification is lost while the listener reconnects.
/// </summary>
internal sealed partial class KeyChangeListener(
    IServiceScopeFactory scopes,
    SigningKeyStore store,
    ILogger<KeyChangeListener> logger) : BackgroundService
{
    private const string Channel = "identity_signing_keys";
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(1);

    /// <summary>Announces a change to the key table; delivered to every listening instance when the caller's transaction commits.</summary>
    public static Task NotifyAsync(IdentityDb db, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"SELECT pg_notify({Channel}, '')", cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        string connectionString;
        await using (var scope = scopes.CreateAsyncScope())
            connectionString = scope.ServiceProvider.GetRequiredService<IdentityDb>().Database.GetConnectionString()!;

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(connectionString, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                LogListenFailed(logger, exception);
                await Task.Delay(ReconnectDelay, stoppingToken);
            }
        }
    }

    private async Task ListenAsync(string connectionString, CancellationToken stoppingToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(stoppingToken);
        var changed = 0;
        connection.Notification += (_, _) => Interlocked.Exchange(ref changed, 1);
        await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
            await listen.ExecuteNonQueryAsync(stoppingToken);
        // Whatever changed while this instance was not listening.
        await store.ReloadAsync(stoppingToken);

        while (!stoppingToken.IsCancellationRequested)
        {
            if (!await connection.WaitAsync(Heartbeat, stoppingToken))
            {
                // Nothing heard for a while: make sure the connection is still there, so a dead one is replaced.
                await using var ping = new NpgsqlCommand("SELECT 1", connection);
                await ping.ExecuteScalarAsync(stoppingToken);
            }

            if (Interlocked.Exchange(ref changed, 0) == 1)
                await store.ReloadAsync(stoppingToken);
        }
    }

    [LoggerMessage(LogLevel.Warning, "Listening for signing key changes failed; reconnecting")]
    private static partial void LogListenFailed(ILogger logger, Exception exception);
}
