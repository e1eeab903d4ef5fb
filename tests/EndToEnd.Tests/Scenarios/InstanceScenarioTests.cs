using static Platform.EndToEnd.Tests.Scenarios.ScenarioSupport;

namespace Platform.EndToEnd.Tests.Scenarios;

/// <summary>Several Orders instances: every one of them must apply every revocation, including one that was down.</summary>
[Collection(PlatformStackCollection.Name)]
public sealed class InstanceScenarioTests(PlatformStack stack, ITestOutputHelper output)
{
    [SkippableFact]
    public async Task Scenario7_a_deactivation_is_rejected_by_both_of_two_orders_instances()
    {
        stack.SkipUnlessLocal();
        await stack.SkipUnlessServedAsync(ContractRoute.SignUp, ContractRoute.Login, ContractRoute.ListOrders, ContractRoute.Deactivate);
        var second = stack.CreateExtraOrders();
        await second.StartAsync();
        using var identity = stack.CreateIdentityClient();
        using var first = stack.CreateOrdersClient();
        using var other = stack.CreateOrdersClient(second.BaseAddress);
        var (email, password) = NewUser("two-instances");
        var user = await identity.SignUpAsync(email, password);
        var token = (await identity.LoginAsync(email, password)).AccessToken;
        Assert.Equal(HttpStatusCode.OK, await first.StatusForAsync(token));
        Assert.Equal(HttpStatusCode.OK, await other.StatusForAsync(token));
        var operatorToken = (await identity.LoginOperatorAsync(stack.OperatorEmail, stack.OperatorPassword)).AccessToken;

        await identity.DeactivateAsync(operatorToken, user.Id, "end-to-end scenario 7");
        // Polled side by side, so a slow instance cannot borrow time from a fast one.
        var times = await Task.WhenAll(
            WaitUntilRejectedAsync(first, token, "instance 1"),
            WaitUntilRejectedAsync(other, token, "instance 2"));

        await second.StopAsync();
        Summary(output, $"scenario 7: deactivation rejected by instance 1 after {times[0].TotalMilliseconds:0} ms and by instance 2 after {times[1].TotalMilliseconds:0} ms");
    }

    [SkippableFact]
    public async Task Scenario8_an_orders_instance_restarted_after_a_deactivation_it_missed_rejects_the_token_as_soon_as_it_is_ready()
    {
        stack.SkipUnlessLocal();
        await stack.SkipUnlessServedAsync(ContractRoute.SignUp, ContractRoute.Login, ContractRoute.ListOrders, ContractRoute.Deactivate);
        var late = stack.CreateExtraOrders();
        await late.StartAsync();
        using var identity = stack.CreateIdentityClient();
        using var running = stack.CreateOrdersClient();
        using var restarted = stack.CreateOrdersClient(late.BaseAddress);
        var (email, password) = NewUser("missed");
        var user = await identity.SignUpAsync(email, password);
        var token = (await identity.LoginAsync(email, password)).AccessToken;
        Assert.Equal(HttpStatusCode.OK, await restarted.StatusForAsync(token));
        var operatorToken = (await identity.LoginOperatorAsync(stack.OperatorEmail, stack.OperatorPassword)).AccessToken;

        await late.StopAsync();
        await identity.DeactivateAsync(operatorToken, user.Id, "end-to-end scenario 8");
        // The running instance seeing it proves the event left Identity while the other one was down.
        await WaitUntilRejectedAsync(running, token, "running instance");

        var clock = Stopwatch.StartNew();
        late.Launch();
        await late.WaitReadyAsync(TimeSpan.FromSeconds(90));
        var readyAfter = clock.Elapsed;
        // The first request once it reports ready: no grace period in which the missed deactivation is unknown.
        Assert.Equal(HttpStatusCode.Unauthorized, await restarted.StatusForAsync(token));

        await late.StopAsync();
        Summary(output, $"scenario 8: Orders restarted after a missed deactivation was ready in {readyAfter.TotalMilliseconds:0} ms and rejected the token on its first request");
    }
}
