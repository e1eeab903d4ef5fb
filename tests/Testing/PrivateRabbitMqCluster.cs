using System.Text.Json;

namespace Platform.Testing;

/// <summary>
/// A RabbitMQ cluster of the test's own: three containers of the broker image the compose stack runs (RabbitMQ 4), on
/// a network of their own, sharing one Erlang cookie and joined into one cluster; each node's AMQP port is published
/// on the loopback interface. A fault test kills a node as a crash would (SIGKILL of the container) and starts it
/// again with its data, while the others go on serving. Containers and network are removed on dispose.
/// </summary>
public sealed partial class PrivateRabbitMqCluster : IAsyncDisposable
{
    private readonly string _network;
    private readonly List<Node> _nodes;

    private PrivateRabbitMqCluster(string network, IEnumerable<int> ports)
    {
        _network = network;
        _nodes = ports.Select((port, i) => new Node($"{network}-{i + 1}", port)).ToList();
    }

    public int Size => _nodes.Count;

    /// <summary>The AMQP port of each node on this machine, in node order.</summary>
    public IReadOnlyList<int> Ports => _nodes.Select(n => n.Port).ToList();

    /// <summary>Every node in one connection string, the way a service lists a cluster.</summary>
    public string ConnectionString => $"amqp://guest:guest@{string.Join(',', _nodes.Select(n => $"127.0.0.1:{n.Port}"))}/";

    /// <summary>One node's address, for a client that must not follow the cluster (an observer of that node).</summary>
    public Uri NodeUri(int node) => new($"amqp://guest:guest@127.0.0.1:{_nodes[node].Port}/");

    public bool IsRunning(int node) => _nodes[node].IsRunning;

    public static async Task<PrivateRabbitMqCluster> StartAsync(int size = 3)
    {
        var image = Image;
        await RequireEngineAndImageAsync(image);
        var cluster = new PrivateRabbitMqCluster($"platform-rabbitmq-cluster-{Guid.NewGuid().ToString("N")[..12]}", DistinctFreePorts(size));
        try
        {
            await Docker("network", "create", "--label", ClusterLabel, cluster._network);
            await cluster.CreateNodesAsync(image);
            // Started side by side (each takes seconds), then joined to the first one after the other.
            await Task.WhenAll(cluster._nodes.Select(n => n.StartAsync()));
            foreach (var node in cluster._nodes.Skip(1))
            {
                await node.CtlAsync("stop_app");
                await node.CtlAsync("join_cluster", cluster._nodes[0].Name);
                await node.CtlAsync("start_app");
            }

            await cluster._nodes[0].CtlAsync("enable_feature_flag", "--opt-in", DeniedFeature);
            await cluster.WaitUntilRunningEverywhereAsync();
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        return cluster;
    }

    /// <summary>Kills a node's container with SIGKILL, as a crash or a lost machine would: no goodbye to its peers.</summary>
    public Task KillAsync(int node) => _nodes[node].KillAsync();

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
            var index = IndexOf(queue.GetProperty("leader").GetString());
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
        // A connection is named "client:port -> node:port" by the address of the node that accepted it.
        var output = await AnyRunningNode().CtlAsync("list_connections", "name", "--formatter", "json");
        var hosts = JsonDocument.Parse(output).RootElement.EnumerateArray()
            .Select(c => c.GetProperty("name").GetString()!.Split(" -> ")[^1])
            .Select(server => server[..server.LastIndexOf(':')])
            .ToList();
        var counts = new List<int>();
        foreach (var node in _nodes)
        {
            var address = node.IsRunning ? await node.AddressAsync(_network) : null;
            counts.Add(hosts.Count(h => address is not null && h == address));
        }

        return counts;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
            await node.RemoveAsync();
        try
        {
            await Docker("network", "rm", _network);
        }
        catch (Exception exception) when (exception is InvalidOperationException or TimeoutException)
        {
            // Never created, or the engine is gone: nothing of ours left to remove.
        }
    }

    private int IndexOf(string? nodeName) => _nodes.FindIndex(n => n.Name == nodeName);

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

    // Each node keeps its host port across a restart, so a connection string listing the nodes stays valid.
    private static List<int> DistinctFreePorts(int count)
    {
        var ports = new HashSet<int>();
        while (ports.Count < count)
            ports.Add(ExternalProcess.FreePort());
        return [.. ports];
    }
}
