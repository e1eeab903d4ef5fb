using static Platform.EndToEnd.Tests.Scenarios.ScenarioSupport;

namespace Platform.EndToEnd.Tests.Scenarios;

/// <summary>
/// The local stack runs Identity and Orders as broker users with the grants of deploy/rabbitmq/permissions.sh: a
/// revocation travels from Identity's publish to Orders' deny-list, and Orders' catch-up request is answered, with
/// no operation of either service refused by the broker.
/// </summary>
[Collection(PlatformStackCollection.Name)]
public sealed class BrokerPermissionScenarioTests(PlatformStack stack)
{
    [SkippableFact]
    public async Task Identity_and_Orders_do_their_work_under_their_least_privilege_broker_users()
    {
        stack.SkipUnlessLocal();
        await stack.SkipUnlessServedAsync(ContractRoute.SignUp, ContractRoute.Login, ContractRoute.ListOrders, ContractRoute.Deactivate);
        using var identity = stack.CreateIdentityClient();
        using var orders = stack.CreateOrdersClient();
        var (email, password) = NewUser("least-privilege");
        var user = await identity.SignUpAsync(email, password);
        var token = (await identity.LoginAsync(email, password)).AccessToken;
        Assert.Equal(HttpStatusCode.OK, await orders.StatusForAsync(token));
        var operatorToken = (await identity.LoginOperatorAsync(stack.OperatorEmail, stack.OperatorPassword)).AccessToken;

        await identity.DeactivateAsync(operatorToken, user.Id, "least-privilege scenario");
        await WaitUntilRejectedAsync(orders, token, "Orders");

        // Orders reported ready only after its catch-up request was answered through its own bus endpoint.
        Assert.Contains(stack.Orders!.Output, line => line.Contains("Merged Identity's ", StringComparison.Ordinal) && line.Contains(" active revocations from ", StringComparison.Ordinal));
        Assert.DoesNotContain(stack.ServiceOutput, line => line.Contains("ACCESS_REFUSED", StringComparison.Ordinal));
    }
}
