namespace Platform.Testing;

/// <summary>
/// A RabbitMQ node of the test's own, on its own ports and data folder, so a fault test can stop and start the
/// broker without disturbing tests that share the platform's broker. Durable queues survive a restart.
/// </summary>
public sealed class PrivateRabbitMq : IAsyncDisposable
{
    private const string BinDirectory = "/usr/lib/rabbitmq/bin";
    private readonly string _directory;
    private readonly Dictionary<string, string> _environment;

    private PrivateRabbitMq(string directory, int port)
    {
        _directory = directory;
        Port = port;
        var node = $"test-{Path.GetFileName(directory)}@localhost";
        _environment = new Dictionary<string, string>
        {
            ["HOME"] = directory,
            ["RABBITMQ_NODENAME"] = node,
            ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_NODE_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RABBITMQ_DIST_PORT"] = ExternalProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ERL_EPMD_PORT"] = ExternalProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ERL_EPMD_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_MNESIA_BASE"] = Path.Combine(directory, "mnesia"),
            ["RABBITMQ_LOG_BASE"] = Path.Combine(directory, "log"),
            ["RABBITMQ_CONFIG_FILE"] = Path.Combine(directory, "rabbitmq"),
            ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(directory, "enabled_plugins"),
            ["RABBITMQ_PID_FILE"] = Path.Combine(directory, "rabbitmq.pid"),
        };
    }

    public int Port { get; }

    /// <summary>The default guest user on the default virtual host; guest may connect from loopback only.</summary>
    public Uri AmqpUri => new($"amqp://guest:guest@127.0.0.1:{Port}/");

    public bool IsRunning { get; private set; }

    /// <param name="configuration">More rabbitmq.conf lines, e.g. a <c>max_message_size</c> to run on another version's defaults.</param>
    public static async Task<PrivateRabbitMq> StartAsync(string configuration = "")
    {
        var directory = Directory.CreateTempSubdirectory("platform-rabbitmq-").FullName;
        var node = new PrivateRabbitMq(directory, ExternalProcess.FreePort());
        await File.WriteAllTextAsync(Path.Combine(directory, "rabbitmq.conf"), $"listeners.tcp.default = 127.0.0.1:{node.Port}\n{configuration}");
        await File.WriteAllTextAsync(Path.Combine(directory, "enabled_plugins"), "[].\n");
        try
        {
            await node.StartNodeAsync();
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }

        return node;
    }

    /// <summary>Starts the node again after <see cref="StopAsync"/>, with the same port and data.</summary>
    public Task RestartAsync() => StartNodeAsync();

    /// <summary>Stops the broker: clients lose their connections until <see cref="RestartAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (!IsRunning)
            return;
        try
        {
            await ExternalProcess.RunAsync($"{BinDirectory}/rabbitmqctl", ["-q", "stop", PidFile], _environment, 60);
        }
        catch (Exception exception) when (exception is InvalidOperationException or TimeoutException)
        {
            // A node that never finished starting cannot be stopped politely; it must not outlive the test.
            if (ReadPid() is { } pid)
                KillNode(pid);
        }

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
            await KillEpmdAsync();
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
                // A file still held by a dying process; the temp folder is cleaned by the OS later.
            }
        }
    }

    private string PidFile => _environment["RABBITMQ_PID_FILE"];

    private async Task StartNodeAsync()
    {
        if (IsRunning)
            return;
        File.Delete(PidFile);
        // Detached, so the node's life is governed by stop and restart, not by the shell that launched it.
        await ExternalProcess.RunAsync("/bin/sh", ["-c", $"cd '{_directory}' && setsid -f {BinDirectory}/rabbitmq-server >>'{_directory}/console.log' 2>&1 </dev/null"], _environment);
        IsRunning = true;
        // rabbitmqctl wait reads the pid file as soon as it exists and fails on one that is still empty.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (ReadPid() is null)
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("RabbitMQ wrote no pid file within 60 s");
            await Task.Delay(100);
        }

        await ExternalProcess.RunAsync($"{BinDirectory}/rabbitmqctl", ["-q", "wait", "--timeout", "90", PidFile], _environment, 120);
    }

    private int? ReadPid()
    {
        try
        {
            return int.TryParse(File.ReadAllText(PidFile).Trim(), out var pid) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static void KillNode(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            process.Kill(entireProcessTree: true);
        }
        catch (ArgumentException)
        {
            // Already gone.
        }
    }

    private async Task KillEpmdAsync()
    {
        try
        {
            await ExternalProcess.RunAsync("epmd", ["-kill"], _environment, 10);
        }
        catch (InvalidOperationException)
        {
            // No epmd left to stop.
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // epmd is not on PATH: nothing of ours to stop.
        }
    }
}
