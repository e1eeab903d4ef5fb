using System.Globalization;
using System.Text.Json;

namespace Platform.Testing;

/// <summary>
/// A RabbitMQ cluster of the test's own: local nodes with their own names, ports and data folders, one Erlang cookie
/// and one port mapper, joined into one cluster. A fault test kills a node as a crash would (SIGKILL of its Erlang VM)
/// and starts it again with its data, while the others go on serving.
/// </summary>
public sealed class PrivateRabbitMqCluster : IAsyncDisposable
{
    private const string BinDirectory = "/usr/lib/rabbitmq/bin";
    private readonly string _directory;
    private readonly List<Node> _nodes;

    private PrivateRabbitMqCluster(string directory, int size)
    {
        _directory = directory;
        var cluster = Path.GetFileName(directory).Replace("platform-rabbitmq-cluster-", "", StringComparison.Ordinal);
        var epmdPort = ExternalProcess.FreePort().ToString(CultureInfo.InvariantCulture);
        _nodes = Enumerable.Range(1, size).Select(i => new Node(directory, $"cluster-{cluster}-{i}@localhost", i, epmdPort)).ToList();
    }

    public int Size => _nodes.Count;

    /// <summary>The AMQP port of each node, in node order.</summary>
    public IReadOnlyList<int> Ports => _nodes.Select(n => n.Port).ToList();

    /// <summary>Every node in one connection string, the way a service lists a cluster (guest, loopback only).</summary>
    public string ConnectionString => $"amqp://guest:guest@{string.Join(',', _nodes.Select(n => $"127.0.0.1:{n.Port}"))}/";

    /// <summary>One node's address, for a client that must not follow the cluster (an observer of that node).</summary>
    public Uri NodeUri(int node) => new($"amqp://guest:guest@127.0.0.1:{_nodes[node].Port}/");

    public bool IsRunning(int node) => _nodes[node].IsRunning;

    public static async Task<PrivateRabbitMqCluster> StartAsync(int size = 3)
    {
        var directory = Directory.CreateTempSubdirectory("platform-rabbitmq-cluster-").FullName;
        var cluster = new PrivateRabbitMqCluster(directory, size);
        try
        {
            // One cookie for every node and for rabbitmqctl: the Erlang distribution admits only peers that share it.
            var cookie = Path.Combine(directory, ".erlang.cookie");
            await File.WriteAllTextAsync(cookie, Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20)));
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(cookie, UnixFileMode.UserRead);
            foreach (var node in cluster._nodes)
                await node.WriteConfigurationAsync();

            // Started side by side (each takes seconds), then joined to the first one after the other.
            await Task.WhenAll(cluster._nodes.Select(n => n.StartAsync()));
            foreach (var node in cluster._nodes.Skip(1))
            {
                await node.CtlAsync("stop_app");
                await node.CtlAsync("join_cluster", cluster._nodes[0].Name);
                await node.CtlAsync("start_app");
            }

            await cluster.WaitUntilRunningEverywhereAsync();
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        return cluster;
    }

    /// <summary>Kills a node's Erlang VM with SIGKILL, as a crash or a lost machine would: no goodbye to its peers.</summary>
    public async Task KillAsync(int node)
    {
        var target = _nodes[node];
        if (!target.IsRunning)
            return;
        var pid = target.Pid;
        target.Kill();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (pid is { } dying && IsAlive(dying))
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"node {node + 1} did not die within 30 s of SIGKILL");
            await Task.Delay(50);
        }
    }

    /// <summary>Starts a killed node again with its data; it rejoins the cluster and its replicas catch up.</summary>
    public async Task RestartAsync(int node)
    {
        await _nodes[node].StartAsync();
        await WaitUntilRunningEverywhereAsync();
    }

    /// <summary>The index of the node whose replica leads a quorum queue, as the running nodes see it.</summary>
    public async Task<int?> LeaderOfAsync(string queue, string virtualHost = "/")
    {
        var leaders = await QueueLeadersAsync(virtualHost);
        return leaders.TryGetValue(queue, out var leader) ? leader : null;
    }

    /// <summary>Every quorum queue of the virtual host with the index of the node that leads it.</summary>
    public async Task<IReadOnlyDictionary<string, int>> QueueLeadersAsync(string virtualHost = "/")
    {
        var output = await AnyRunningNode().CtlAsync("list_queues", "-p", virtualHost, "name", "type", "leader", "--formatter", "json");
        var leaders = new Dictionary<string, int>();
        foreach (var queue in JsonDocument.Parse(output).RootElement.EnumerateArray())
        {
            if (queue.GetProperty("type").GetString() != "quorum")
                continue;
            var leader = queue.GetProperty("leader").GetString();
            var index = _nodes.FindIndex(n => n.Name == leader);
            if (index >= 0)
                leaders[queue.GetProperty("name").GetString()!] = index;
        }

        return leaders;
    }

    /// <summary>Each queue of the virtual host with its type, leader, members and messages, for a failure message.</summary>
    public async Task<string> DescribeQueuesAsync(string virtualHost = "/")
    {
        try
        {
            return await AnyRunningNode().CtlAsync("list_queues", "-p", virtualHost, "name", "type", "leader", "members", "online", "messages", "--no-table-headers");
        }
        catch (Exception exception) when (exception is InvalidOperationException or TimeoutException)
        {
            return $"(queues not listed: {exception.Message})";
        }
    }

    /// <summary>How many client connections each node holds now, in node order.</summary>
    public async Task<IReadOnlyList<int>> ConnectionsPerNodeAsync()
    {
        var output = await AnyRunningNode().CtlAsync("list_connections", "port", "--formatter", "json");
        var ports = JsonDocument.Parse(output).RootElement.EnumerateArray().Select(c => c.GetProperty("port").GetInt32()).ToList();
        return _nodes.Select(n => ports.Count(p => p == n.Port)).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes.Where(n => n.IsRunning))
            node.Kill();
        try
        {
            await _nodes[0].RunAsync("epmd", ["-kill"], 10);
        }
        catch (Exception exception) when (exception is InvalidOperationException or TimeoutException or System.ComponentModel.Win32Exception)
        {
            // No port mapper of ours left to stop.
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a dying process; the temp folder is cleaned by the OS later.
        }
    }

    private Node AnyRunningNode() => _nodes.FirstOrDefault(n => n.IsRunning) ?? throw new InvalidOperationException("No node is running.");

    // A node is back in service once every running node lists it among the running ones.
    private async Task WaitUntilRunningEverywhereAsync()
    {
        var expected = _nodes.Where(n => n.IsRunning).Select(n => n.Name).Order().ToList();
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var agreed = true;
            foreach (var node in _nodes.Where(n => n.IsRunning))
            {
                using var status = JsonDocument.Parse(await node.CtlAsync("cluster_status", "--formatter", "json"));
                var running = status.RootElement.GetProperty("running_nodes").EnumerateArray().Select(e => e.GetString()!).Order().ToList();
                agreed &= running.SequenceEqual(expected);
            }

            if (agreed)
                return;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("the cluster's nodes did not agree on who is running within 90 s");
            await Task.Delay(200);
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private sealed class Node
    {
        private readonly string _directory;
        private readonly Dictionary<string, string> _environment;

        public Node(string clusterDirectory, string name, int index, string epmdPort)
        {
            Name = name;
            Port = ExternalProcess.FreePort();
            _directory = Path.Combine(clusterDirectory, $"node{index}");
            Directory.CreateDirectory(_directory);
            _environment = new Dictionary<string, string>
            {
                ["HOME"] = clusterDirectory,
                ["RABBITMQ_NODENAME"] = name,
                ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
                ["RABBITMQ_NODE_PORT"] = Port.ToString(CultureInfo.InvariantCulture),
                ["RABBITMQ_DIST_PORT"] = ExternalProcess.FreePort().ToString(CultureInfo.InvariantCulture),
                ["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = "-kernel inet_dist_use_interface {127,0,0,1}",
                ["ERL_EPMD_PORT"] = epmdPort,
                ["ERL_EPMD_ADDRESS"] = "127.0.0.1",
                ["RABBITMQ_MNESIA_BASE"] = Path.Combine(_directory, "mnesia"),
                ["RABBITMQ_LOG_BASE"] = Path.Combine(_directory, "log"),
                ["RABBITMQ_CONFIG_FILE"] = Path.Combine(_directory, "rabbitmq"),
                ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(_directory, "enabled_plugins"),
                ["RABBITMQ_PID_FILE"] = Path.Combine(_directory, "rabbitmq.pid"),
            };
        }

        public string Name { get; }

        public int Port { get; }

        public bool IsRunning { get; private set; }

        public int? Pid
        {
            get
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
        }

        private string PidFile => _environment["RABBITMQ_PID_FILE"];

        public async Task WriteConfigurationAsync()
        {
            await File.WriteAllTextAsync(Path.Combine(_directory, "rabbitmq.conf"), $"listeners.tcp.default = 127.0.0.1:{Port}\n");
            await File.WriteAllTextAsync(Path.Combine(_directory, "enabled_plugins"), "[].\n");
        }

        public async Task StartAsync()
        {
            if (IsRunning)
                return;
            File.Delete(PidFile);
            // Detached, so the node's life is governed by kill and restart, not by the shell that launched it.
            await RunAsync("/bin/sh", ["-c", $"cd '{_directory}' && setsid -f {BinDirectory}/rabbitmq-server >>'{_directory}/console.log' 2>&1 </dev/null"]);
            IsRunning = true;
            // rabbitmqctl wait reads the pid file as soon as it exists and fails on one that is still empty.
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (Pid is null)
            {
                if (DateTime.UtcNow > deadline)
                    throw new TimeoutException($"{Name} wrote no pid file within 60 s");
                await Task.Delay(100);
            }

            await RunAsync($"{BinDirectory}/rabbitmqctl", ["-q", "wait", "--timeout", "90", PidFile], 120);
        }

        public void Kill()
        {
            if (Pid is { } pid)
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

            IsRunning = false;
        }

        public Task<string> CtlAsync(params string[] arguments) =>
            RunAsync($"{BinDirectory}/rabbitmqctl", ["-q", "-n", Name, .. arguments], 60);

        public Task<string> RunAsync(string fileName, IEnumerable<string> arguments, int timeoutSeconds = 120) =>
            ExternalProcess.RunAsync(fileName, arguments, _environment, timeoutSeconds);
    }
}
