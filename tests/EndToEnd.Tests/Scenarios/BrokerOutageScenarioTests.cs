using static Platform.EndToEnd.Tests.Scenarios.ScenarioSupport;

namespace Platform.EndToEnd.Tests.Scenarios;

/// <summary>The outbox's promise with the broker down, and with Identity crashing before it could dispatch.</summary>
[Collection(FaultStackCollection.Name)]
public sealed class BrokerOutageScenarioTests(ITestOutputHelper output)
{
    private const int UserCount = 50;

    [SkippableFact]
    public async Task Scenario9_fifty_deactivations_while_the_broker_is_down_all_reach_orders_within_30_s_once_it_is_back_each_published_once()
    {
        await using var stack = await PlatformStack.StartOwnAsync(new StackOptions { PrivateBroker = true });
        // A counting consumer of its own: every copy Identity publishes lands here, duplicates included.
        await using var observer = await stack.ObserveEventsAsync();
        using var identity = stack.CreateIdentityClient();
        using var orders = stack.CreateOrdersClient();
        var operatorToken = (await identity.LoginOperatorAsync(stack.OperatorEmail, stack.OperatorPassword)).AccessToken;
        var signUpClock = Stopwatch.StartNew();
        var users = await SignUpAndLogInAsync(identity, UserCount);
        var signUpTime = signUpClock.Elapsed;
        foreach (var (_, token) in users)
            Assert.Equal(HttpStatusCode.OK, await orders.StatusForAsync(token));

        await stack.Broker!.StopAsync();
        await Parallel.ForEachAsync(users, new ParallelOptions { MaxDegreeOfParallelism = 4 },
            async (user, _) => await identity.DeactivateAsync(operatorToken, user.Id, "end-to-end scenario 9"));
        // Held, not lost and not yet sent: nothing could reach a broker that is down.
        Assert.Equal(UserCount, await stack.UnsentOutboxCountAsync(nameof(UserDeactivated)));

        await stack.Broker.RestartAsync();
        var clock = Stopwatch.StartNew();
        // On failure, tell "Identity never published" apart from "published, but Orders' instance did not apply it".
        var rejectedAfter = await WaitUntilAllRejectedAsync(orders, users.Select(u => u.Token).ToList(), RecoveryLimit, async () =>
            $"unsent outbox rows: {await stack.UnsentOutboxCountAsync()}, UserDeactivated seen by the observer: {observer.All<UserDeactivated>().Count}");
        var outboxEmptyAfter = await WaitUntilOutboxEmptyAsync(stack, clock, RecoveryLimit);

        var expected = users.Select(u => u.Id).ToHashSet();
        await observer.WaitForAsync<UserDeactivated>(_ => expected.IsSubsetOf(observer.All<UserDeactivated>().Select(e => e.UserId)), RecoveryLimit);
        // A duplicate would come from a second dispatch of an already confirmed row; give it a moment to show up.
        await Task.Delay(TimeSpan.FromSeconds(3));
        var ids = observer.MessageIds<UserDeactivated>();
        Assert.Equal(UserCount, observer.All<UserDeactivated>().Count(e => expected.Contains(e.UserId)));
        Assert.Equal(ids.Count, ids.Distinct().Count());
        var allIds = observer.MessageIds<SessionRevoked>().Concat(ids).ToList();
        Assert.Equal(allIds.Count, allIds.Distinct().Count());

        Summary(output, $"scenario 9: {UserCount} users signed up and logged in in {signUpTime.TotalSeconds:0.0} s; deactivated with the broker down; " +
            $"after it restarted all tokens rejected by Orders within {rejectedAfter.TotalMilliseconds:0} ms, outbox empty after {outboxEmptyAfter.TotalMilliseconds:0} ms; " +
            $"counting consumer got {ids.Count} UserDeactivated with {ids.Distinct().Count()} distinct ids ({allIds.Count} events in all, none twice)");
    }

    [SkippableFact]
    public async Task Scenario10_identity_killed_after_a_deactivation_committed_but_before_dispatch_publishes_it_after_restart()
    {
        await using var stack = await PlatformStack.StartOwnAsync(new StackOptions { PrivateBroker = true });
        using var identity = stack.CreateIdentityClient();
        using var orders = stack.CreateOrdersClient();
        var (email, password) = NewUser("crash");
        var user = await identity.SignUpAsync(email, password);
        var token = (await identity.LoginAsync(email, password)).AccessToken;
        var operatorToken = (await identity.LoginOperatorAsync(stack.OperatorEmail, stack.OperatorPassword)).AccessToken;
        Assert.Equal(HttpStatusCode.OK, await orders.StatusForAsync(token));

        // With the broker down the dispatcher cannot have sent it, so the kill lands between commit and dispatch.
        await stack.Broker!.StopAsync();
        await identity.DeactivateAsync(operatorToken, user.Id, "end-to-end scenario 10");
        Assert.Equal(1, await stack.UnsentOutboxCountAsync(nameof(UserDeactivated)));
        stack.Identity!.Kill();
        await stack.Broker.RestartAsync();

        var clock = Stopwatch.StartNew();
        await stack.Identity.StartAsync();
        var readyAfter = clock.Elapsed;
        var rejectedAfter = readyAfter + await WaitUntilRejectedAsync(orders, token, "after Identity's restart", RecoveryLimit - readyAfter);

        Summary(output, $"scenario 10: Identity SIGKILLed with the deactivation committed and unsent; restarted (ready after {readyAfter.TotalMilliseconds:0} ms), " +
            $"Orders rejected the token {rejectedAfter.TotalMilliseconds:0} ms after the restart began");
    }

    private static async Task<IReadOnlyList<(Guid Id, string Token)>> SignUpAndLogInAsync(IdentityClient identity, int count)
    {
        var users = new ConcurrentBag<(Guid, string)>();
        // Password hashing is deliberately slow: a few at a time keep both cores busy without starving the services.
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
        {
            var (email, password) = NewUser($"outage-{i}");
            var created = await identity.SignUpAsync(email, password);
            users.Add((created.Id, (await identity.LoginAsync(email, password)).AccessToken));
        });
        return users.ToList();
    }

    private static async Task<TimeSpan> WaitUntilAllRejectedAsync(
        OrdersClient orders, IReadOnlyList<string> tokens, TimeSpan limit, Func<Task<string>> diagnose)
    {
        var accepted = tokens.ToList();
        try
        {
            return await Eventually.HoldsAsync(async () =>
            {
                var statuses = await Task.WhenAll(accepted.Select(orders.StatusForAsync));
                Assert.All(statuses, s => Assert.True(s is HttpStatusCode.OK or HttpStatusCode.Unauthorized, $"Orders answered {(int)s}"));
                accepted = accepted.Where((_, i) => statuses[i] == HttpStatusCode.OK).ToList();
                return accepted.Count == 0;
            }, () => $"{accepted.Count} of {tokens.Count} deactivated users' tokens to be rejected by Orders after the broker was back",
                limit, TimeSpan.FromMilliseconds(100));
        }
        catch (TimeoutException timeout)
        {
            Assert.Fail($"{timeout.Message}; {await diagnose()}");
            throw;
        }
    }

    private static async Task<TimeSpan> WaitUntilOutboxEmptyAsync(PlatformStack stack, Stopwatch clock, TimeSpan limit)
    {
        var unsent = 0;
        await Eventually.HoldsAsync(async () => (unsent = await stack.UnsentOutboxCountAsync()) == 0,
            () => $"Identity's outbox to send its last {unsent} events after the broker was back",
            limit - clock.Elapsed, TimeSpan.FromMilliseconds(200));
        return clock.Elapsed;
    }
}
