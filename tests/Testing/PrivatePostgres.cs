using Npgsql;

namespace Platform.Testing;

/// <summary>
/// A PostgreSQL server of the test's own, in a temporary data folder on its own port, so a fault test can stop
/// and start the database without disturbing tests that share the platform's server.
/// </summary>
public sealed class PrivatePostgres : IAsyncDisposable
{
    private readonly string _directory;

    private PrivatePostgres(string directory, int port)
    {
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    /// <summary>A superuser connection string (trust authentication: the server listens on loopback only).</summary>
    public string ConnectionString(string database = "postgres") =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=true;Timeout=5";

    public bool IsRunning { get; private set; }

    private string DataDirectory => Path.Combine(_directory, "data");

    public static async Task<PrivatePostgres> StartAsync()
    {
        var directory = Directory.CreateTempSubdirectory("platform-postgres-").FullName;
        var server = new PrivatePostgres(directory, ExternalProcess.FreePort());
        if (ExternalProcess.IsRoot)
            await ExternalProcess.RunAsync("chown", ["postgres:postgres", directory]);
        await server.RunAsOwnerAsync("initdb", ["-D", server.DataDirectory, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"]);
        await server.RestartAsync();
        return server;
    }

    public async Task CreateDatabaseAsync(string name)
    {
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Starts the server (again), with the same port and data.</summary>
    public async Task RestartAsync()
    {
        if (IsRunning)
            return;
        await RunAsOwnerAsync("pg_ctl", ["-D", DataDirectory, "-l", Path.Combine(_directory, "server.log"), "-w", "-t", "60",
            "-o", $"-c listen_addresses=127.0.0.1 -c port={Port} -c unix_socket_directories='' -c fsync=off", "start"]);
        IsRunning = true;
    }

    /// <summary>Stops the server at once, as a crash or an outage would look to clients.</summary>
    public async Task StopAsync()
    {
        if (!IsRunning)
            return;
        await RunAsOwnerAsync("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-w", "-t", "60", "stop"]);
        IsRunning = false;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
                // Left for the OS to clean with the temp folder.
            }
        }
    }

    private Task RunAsOwnerAsync(string tool, IEnumerable<string> arguments)
    {
        var path = Path.Combine(BinDirectory(), tool);
        // PostgreSQL refuses to run as root; as root the server runs as the postgres system user.
        return ExternalProcess.IsRoot
            ? ExternalProcess.RunAsync("runuser", ["-u", "postgres", "--", path, .. arguments])
            : ExternalProcess.RunAsync(path, arguments);
    }

    private static string BinDirectory() =>
        Directory.GetDirectories("/usr/lib/postgresql").OrderDescending()
            .Select(dir => Path.Combine(dir, "bin"))
            .FirstOrDefault(bin => File.Exists(Path.Combine(bin, "postgres")))
        ?? throw new InvalidOperationException("PostgreSQL server binaries not found under /usr/lib/postgresql");
}
