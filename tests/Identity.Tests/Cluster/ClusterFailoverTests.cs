using System.Collections.Concurrent;
using System.Diagnostics;
using Xunit.Abstractions;

namespace Platform.Identity.Tests.Cluster;

/// <summary>
/// Revocations on a three-node RabbitMQ cluster that loses a node: Identity publishes through its outbox, two resource
/// servers (the real JwtBearer pipeline) each consume their own quorum queue, and the node that leads those queues is
/// killed in the middle of a steady stream of deactivations. Nothing is lost: every instance refuses every token of
/// every deactivated user.
/// </summary>
public sealed class ClusterFailoverTests(ClusterIdentityApp app, ITestOutputHelper output) : IClassFixture<ClusterIdentityApp>
{
    private const int Users = 60;
    private const int KillAfter = 20;
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(75);
    private static readonly TimeSpan PropagationLimit = TimeSpan.FromSeconds(60);

    private readonly HttpClient _client = app.CreateClient();

    [Fact]
    public async Task Killing_the_node_that_leads_the_instance_queues_during_a_stream_of_deactivations_loses_none_at_any_instance()
    {
        var instances = new List<ResourceServerHost>();
        try
        {
            for (var i = 0; i < 2; i++)
                instances.Add(await ResourceServerHost.StartAsync(app, broker: app.Cluster.ConnectionString));
            var users = await SignUpAsync();
            foreach (var (_, token) in users)
                foreach (var instance in instances)
                    Assert.Equal(HttpStatusCode.OK, await instance.StatusWithAsync(token));
            var admin = (await _client.LoginAdminAsync()).AccessToken;

            var victim = await NodeLeadingTheInstanceQueuesAsync();
            var clock = Stopwatch.StartNew();
            var requestedAt = Enumerable.Repeat(-1L, Users).ToArray(); // elapsed ticks, -1 until requested
            var refusedAt = new ConcurrentDictionary<int, TimeSpan>();
            using var stop = new CancellationTokenSource();
            var watcher = WatchAsync(instances, users, requestedAt, refusedAt, clock, stop.Token);
            var killedAt = TimeSpan.Zero;

            for (var i = 0; i < Users; i++)
            {
                if (i == KillAfter)
                {
                    await app.Cluster.KillAsync(victim);
                    killedAt = clock.Elapsed;
                }

                var next = clock.Elapsed + Interval;
                Volatile.Write(ref requestedAt[i], clock.Elapsed.Ticks);
                using var response = await _client.SendAsync(HttpMethod.Post, $"/admin/users/{users[i].Id}/deactivate", admin,
                    new { reason = "cluster failover" });
                Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
                if (next - clock.Elapsed is { } wait && wait > TimeSpan.Zero)
                    await Task.Delay(wait);
            }

            var streamEnded = clock.Elapsed;
            var queuesAfterKill = await app.Cluster.DescribeQueuesAsync();
            try
            {
                await Eventually.HoldsAsync(() => Task.FromResult(refusedAt.Count == Users),
                    () => $"every instance to refuse the tokens of all {Users} deactivated users ({refusedAt.Count} so far)",
                    PropagationLimit, TimeSpan.FromMilliseconds(100));
            }
            catch (TimeoutException timeout)
            {
                Assert.Fail($"{timeout.Message}; node {victim + 1} was killed; queues after the kill:\n{queuesAfterKill}\nnow:\n{await app.Cluster.DescribeQueuesAsync()}");
            }
            await stop.CancelAsync();
            await watcher;

            // Refused everywhere, and for good: a second look finds no token accepted anywhere.
            foreach (var (_, token) in users)
                foreach (var instance in instances)
                    Assert.Equal(HttpStatusCode.Unauthorized, await instance.StatusWithAsync(token));
            var leaders = await app.Cluster.QueueLeadersAsync();
            Assert.DoesNotContain(victim, leaders.Where(q => q.Key.StartsWith("api-", StringComparison.Ordinal)).Select(q => q.Value));

            Report(victim, killedAt, streamEnded, requestedAt, refusedAt);
        }
        finally
        {
            foreach (var instance in instances)
                await instance.DisposeAsync();
        }
    }

    private async Task<IReadOnlyList<(Guid Id, string Token)>> SignUpAsync()
    {
        var users = new (Guid, string)[Users];
        await Parallel.ForEachAsync(Enumerable.Range(0, Users), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
        {
            var (user, tokens) = await _client.NewUserAsync();
            users[i] = (user.Id, tokens.AccessToken);
        });
        return users;
    }

    // The node whose replicas lead most of the instances' own queues (they were declared through the first node
    // listed, so usually all of them), which also holds the services' connections.
    private async Task<int> NodeLeadingTheInstanceQueuesAsync()
    {
        var leaders = await app.Cluster.QueueLeadersAsync();
        var instanceQueues = leaders.Where(q => q.Key.StartsWith("api-revocations-", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, instanceQueues.Count);
        return instanceQueues.GroupBy(q => q.Value).OrderByDescending(g => g.Count()).First().Key;
    }

    // Records, for each deactivation, when every instance first refused that user's token.
    private static async Task WatchAsync(IReadOnlyList<ResourceServerHost> instances, IReadOnlyList<(Guid Id, string Token)> users,
        long[] requestedAt, ConcurrentDictionary<int, TimeSpan> refusedAt, Stopwatch clock, CancellationToken stop)
    {
        var refusedBy = new bool[users.Count, instances.Count];
        while (!stop.IsCancellationRequested && refusedAt.Count < users.Count)
        {
            for (var i = 0; i < users.Count; i++)
            {
                if (Volatile.Read(ref requestedAt[i]) < 0 || refusedAt.ContainsKey(i))
                    continue;
                for (var n = 0; n < instances.Count; n++)
                    refusedBy[i, n] |= await instances[n].StatusWithAsync(users[i].Token) == HttpStatusCode.Unauthorized;
                if (Enumerable.Range(0, instances.Count).All(n => refusedBy[i, n]))
                    refusedAt[i] = clock.Elapsed;
            }

            await Task.Delay(10, CancellationToken.None);
        }
    }

    private void Report(int victim, TimeSpan killedAt, TimeSpan streamEnded, long[] requestedAt, ConcurrentDictionary<int, TimeSpan> refusedAt)
    {
        var all = Enumerable.Range(0, Users).Select(i => (refusedAt[i] - TimeSpan.FromTicks(requestedAt[i])).TotalMilliseconds).Order().ToList();
        var during = Enumerable.Range(KillAfter, Users - KillAfter).Select(i => (refusedAt[i] - TimeSpan.FromTicks(requestedAt[i])).TotalMilliseconds).Order().ToList();
        var before = Enumerable.Range(0, KillAfter).Select(i => (refusedAt[i] - TimeSpan.FromTicks(requestedAt[i])).TotalMilliseconds).Order().ToList();
        output.WriteLine(
            $"cluster failover: {Users} deactivations every {Interval.TotalMilliseconds:0} ms over {streamEnded.TotalSeconds:0.0} s, node {victim + 1} " +
            $"(leader of the instance queues) killed at {killedAt.TotalSeconds:0.0} s; propagation to both instances " +
            $"before the kill p50 {Percentile(before, 50):0} ms p99 {Percentile(before, 99):0} ms; " +
            $"from the kill on p50 {Percentile(during, 50):0} ms p99 {Percentile(during, 99):0} ms max {during[^1]:0} ms; " +
            $"all p50 {Percentile(all, 50):0} ms p99 {Percentile(all, 99):0} ms; none lost");
    }

    private static double Percentile(IReadOnlyList<double> sorted, int percent) =>
        sorted[Math.Clamp((int)Math.Ceiling(percent / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];
}
