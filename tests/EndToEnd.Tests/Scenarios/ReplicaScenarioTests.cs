using static Platform.EndToEnd.Tests.Scenarios.ScenarioSupport;

namespace Platform.EndToEnd.Tests.Scenarios;

/// <summary>Every Orders replica of a running stack applies every revocation, each through its own queue.</summary>
[Collection(PlatformStackCollection.Name)]
public sealed class ReplicaScenarioTests(PlatformStack stack, ITestOutputHelper output)
{
    [SkippableFact]
    public async Task A_deactivation_and_a_session_revocation_reach_every_orders_replica()
    {
        stack.EnsureStarted();
        Skip.If(stack.OrdersUrls.Count < 2, "the suite knows one Orders instance only; PLATFORM_ORDERS_URLS names every replica of a running stack");
        await stack.SkipUnlessServedAsync(ContractRoute.SignUp, ContractRoute.Login, ContractRoute.Logout, ContractRoute.ListOrders, ContractRoute.Deactivate);
        using var identity = stack.CreateIdentityClient();
        var replicas = await stack.OrdersReplicasAsync();
        var (deactivatedEmail, deactivatedPassword) = NewUser("replicas-deactivated");
        var deactivated = await identity.SignUpAsync(deactivatedEmail, deactivatedPassword);
        var deactivatedToken = (await identity.LoginAsync(deactivatedEmail, deactivatedPassword)).AccessToken;
        var (email, password) = NewUser("replicas-logout");
        await identity.SignUpAsync(email, password);
        var loggedOut = (await identity.LoginAsync(email, password)).AccessToken;
        var kept = (await identity.LoginAsync(email, password)).AccessToken;
        foreach (var replica in replicas)
        {
            Assert.Equal(HttpStatusCode.OK, await replica.StatusForAsync(deactivatedToken));
            Assert.Equal(HttpStatusCode.OK, await replica.StatusForAsync(loggedOut));
        }

        var operatorToken = (await identity.LoginOperatorAsync(stack.OperatorEmail, stack.OperatorPassword)).AccessToken;
        await identity.DeactivateAsync(operatorToken, deactivated.Id, "every replica");
        await identity.LogoutAsync(loggedOut);
        // Polled side by side, so a slow replica cannot borrow time from a fast one.
        var times = await Task.WhenAll(replicas.SelectMany((replica, i) => new[]
        {
            WaitUntilRejectedAsync(replica, deactivatedToken, $"replica {i + 1}, deactivated user"),
            WaitUntilRejectedAsync(replica, loggedOut, $"replica {i + 1}, logged-out session"),
        }));

        foreach (var replica in replicas)
        {
            Assert.Equal(HttpStatusCode.OK, await replica.StatusForAsync(kept));
            replica.Dispose();
        }

        Summary(output, $"replicas: a deactivation and a logout were rejected by all {replicas.Count} Orders replicas within {times.Max().TotalMilliseconds:0} ms; the user's other session still accepted");
    }
}
