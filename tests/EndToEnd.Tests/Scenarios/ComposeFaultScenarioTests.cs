using static Platform.EndToEnd.Tests.Scenarios.ScenarioSupport;

namespace Platform.EndToEnd.Tests.Scenarios;

/// <summary>
/// Faults of the compose stack caused the way an operator meets them: the broker container killed, Identity
/// restarted, an Orders replica stopped while revocations flow. Every replica still applies every revocation.
/// </summary>
[Collection(PlatformStackCollection.Name)]
public sealed class ComposeFaultScenarioTests(PlatformStack stack, ITestOutputHelper output)
{
    private static readonly TimeSpan ContainerStart = TimeSpan.FromMinutes(2);

    [SkippableFact]
    public async Task A_deactivation_made_while_the_broker_container_is_killed_reaches_every_replica_once_it_is_back()
    {
        var compose = stack.SkipUnlessCompose();
        var rabbitmq = compose.Container("rabbitmq");
        using var identity = stack.CreateIdentityClient();
        var replicas = await stack.OrdersReplicasAsync();
        var (user, token) = await SignedInUserAsync(identity, "broker-killed");
        var operatorToken = await stack.OperatorTokenAsync(identity);

        await compose.KillAsync(rabbitmq);
        try
        {
            // Identity keeps serving and holds the event in its outbox; nothing can carry it yet.
            await identity.DeactivateAsync(operatorToken, user, "while the broker is down");
            foreach (var replica in replicas)
                Assert.Equal(HttpStatusCode.OK, await replica.StatusForAsync(token));
        }
        finally
        {
            await compose.StartAsync(rabbitmq);
        }

        var clock = Stopwatch.StartNew();
        await compose.WaitHealthyAsync(rabbitmq, ContainerStart);
        var brokerBack = clock.Elapsed;
        var recovery = await Task.WhenAll(replicas.Select((replica, i) =>
            WaitUntilRejectedAsync(replica, token, $"replica {i + 1} once the broker is back", RecoveryLimit)));
        await compose.WaitAllHealthyAsync(ContainerStart);
        replicas.DisposeAll();
        Summary(output, $"compose: broker killed; it was healthy again after {brokerBack.TotalSeconds:0.0} s and the deactivation made meanwhile " +
            $"reached all {replicas.Count} replicas within {recovery.Max().TotalMilliseconds:0} ms more");
    }

    [SkippableFact]
    public async Task Identity_restarted_keeps_its_keys_and_sessions_and_its_next_deactivation_reaches_every_replica()
    {
        var compose = stack.SkipUnlessCompose();
        var identityContainer = compose.Container("identity");
        using var identity = stack.CreateIdentityClient();
        var replicas = await stack.OrdersReplicasAsync();
        var (user, token) = await SignedInUserAsync(identity, "identity-restarted");

        await compose.RestartAsync(identityContainer);
        await compose.WaitHealthyAsync(identityContainer, ContainerStart);

        // The signing keys and the session live in the database, so tokens issued before the restart stay valid.
        foreach (var replica in replicas)
            Assert.Equal(HttpStatusCode.OK, await replica.StatusForAsync(token));
        var operatorToken = await stack.OperatorTokenAsync(identity);
        await identity.DeactivateAsync(operatorToken, user, "after an Identity restart");
        var times = await Task.WhenAll(replicas.Select((replica, i) =>
            WaitUntilRejectedAsync(replica, token, $"replica {i + 1} after the Identity restart", RecoveryLimit)));
        replicas.DisposeAll();
        Summary(output, $"compose: Identity restarted; an earlier token stayed valid and a deactivation after the restart reached all " +
            $"{replicas.Count} replicas within {times.Max().TotalMilliseconds:0} ms");
    }

    [SkippableFact]
    public async Task An_orders_replica_stopped_while_deactivations_flow_catches_up_before_it_reports_ready()
    {
        var compose = stack.SkipUnlessCompose();
        Skip.If(stack.OrdersUrls.Count < 2, "the compose stack runs one Orders replica only");
        // The last replica: the first one is the address every other scenario uses.
        var container = compose.Container("orders", stack.OrdersUrls.Count);
        using var identity = stack.CreateIdentityClient();
        using var running = stack.CreateOrdersClient();
        var missed = new List<(Guid UserId, string Token)>();
        var flowing = new List<(Guid UserId, string Token)>();
        for (var i = 0; i < 4; i++)
        {
            missed.Add(await SignedInUserAsync(identity, $"replica-stopped-{i}"));
            flowing.Add(await SignedInUserAsync(identity, $"replica-starting-{i}"));
        }

        var operatorToken = await stack.OperatorTokenAsync(identity);
        await compose.StopAsync(container);
        foreach (var (user, _) in missed)
            await identity.DeactivateAsync(operatorToken, user, "while a replica is stopped");
        // The running replica seeing the last one proves they all left Identity while the other was down.
        await WaitUntilRejectedAsync(running, missed[^1].Token, "running replica");

        // More deactivations keep coming while the replica starts.
        var flow = DeactivateOneByOneAsync(identity, operatorToken, flowing.Select(f => f.UserId));
        var clock = Stopwatch.StartNew();
        await compose.StartAsync(container);
        var url = await compose.PublishedUrlAsync(container);
        using var restarted = stack.CreateOrdersClient(url);
        await Eventually.HoldsAsync(() => IsReadyAsync(url), "the restarted replica to report ready", ContainerStart, TimeSpan.FromMilliseconds(20));
        var readyAfter = clock.Elapsed;

        // Its first requests once it reports ready: every deactivation it missed is already enforced.
        foreach (var (_, token) in missed)
            Assert.Equal(HttpStatusCode.Unauthorized, await restarted.StatusForAsync(token));
        await flow;
        var times = await Task.WhenAll(flowing.Select((f, i) =>
            WaitUntilRejectedAsync(restarted, f.Token, $"deactivation {i + 1} made while the replica started")));
        await compose.WaitHealthyAsync(container, ContainerStart);
        Summary(output, $"compose: an Orders replica restarted after {missed.Count} missed deactivations was ready in {readyAfter.TotalMilliseconds:0} ms, " +
            $"rejected all of them on its first requests, and the {flowing.Count} made while it started within {times.Max().TotalMilliseconds:0} ms");
    }

    private static async Task DeactivateOneByOneAsync(IdentityClient identity, string operatorToken, IEnumerable<Guid> users)
    {
        foreach (var user in users)
        {
            await identity.DeactivateAsync(operatorToken, user, "while a replica starts");
            await Task.Delay(TimeSpan.FromMilliseconds(300));
        }
    }

    private static async Task<bool> IsReadyAsync(Uri orders)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            using var response = await http.GetAsync(new Uri(orders, "health/ready"));
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

}
