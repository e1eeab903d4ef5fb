using static Platform.EndToEnd.Tests.Scenarios.ScenarioSupport;

namespace Platform.EndToEnd.Tests.Scenarios;

/// <summary>Revocations reaching Orders: deactivation, logout, refresh-token reuse.</summary>
[Collection(PlatformStackCollection.Name)]
public sealed class RevocationScenarioTests(PlatformStack stack, ITestOutputHelper output)
{
    [SkippableFact]
    public async Task Scenario2_deactivation_rejects_existing_tokens_and_refuses_login_until_reactivated_while_old_tokens_stay_rejected()
    {
        await stack.SkipUnlessServedAsync(ContractRoute.SignUp, ContractRoute.Login, ContractRoute.ListOrders,
            ContractRoute.Deactivate, ContractRoute.Reactivate);
        using var identity = stack.CreateIdentityClient();
        using var orders = stack.CreateOrdersClient();
        var (email, password) = NewUser("deactivated");
        var user = await identity.SignUpAsync(email, password);
        var before = await identity.LoginAsync(email, password);
        Assert.Equal(HttpStatusCode.OK, await orders.StatusForAsync(before.AccessToken));
        var operatorToken = (await identity.LoginOperatorAsync(stack.OperatorEmail, stack.OperatorPassword)).AccessToken;

        await identity.DeactivateAsync(operatorToken, user.Id, "end-to-end scenario 2");
        var deactivatedBy = DateTimeOffset.UtcNow;
        var propagation = await WaitUntilRejectedAsync(orders, before.AccessToken, "after deactivation");

        using (var refused = await identity.TryLoginAsync(email, password))
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        await identity.ReactivateAsync(operatorToken, user.Id);
        await WaitForNextWholeSecondAfterAsync(deactivatedBy);
        var after = await identity.LoginAsync(email, password);
        Assert.Equal(HttpStatusCode.OK, await orders.StatusForAsync(after.AccessToken));
        Assert.Equal(HttpStatusCode.Unauthorized, await orders.StatusForAsync(before.AccessToken));

        Summary(output, $"scenario 2: deactivation rejected by Orders after {propagation.TotalMilliseconds:0} ms; login refused; after reactivation new token accepted, old one still rejected");
    }

    [SkippableFact]
    public async Task Scenario3_logout_rejects_that_sessions_token_while_another_session_of_the_user_keeps_working()
    {
        await stack.SkipUnlessServedAsync(ContractRoute.SignUp, ContractRoute.Login, ContractRoute.Logout, ContractRoute.ListOrders);
        using var identity = stack.CreateIdentityClient();
        using var orders = stack.CreateOrdersClient();
        var (email, password) = NewUser("logout");
        await identity.SignUpAsync(email, password);
        var laptop = await identity.LoginAsync(email, password);
        var phone = await identity.LoginAsync(email, password);
        Assert.Equal(HttpStatusCode.OK, await orders.StatusForAsync(laptop.AccessToken));

        await identity.LogoutAsync(laptop.AccessToken);
        var propagation = await WaitUntilRejectedAsync(orders, laptop.AccessToken, "after logout");

        Assert.Equal(HttpStatusCode.OK, await orders.StatusForAsync(phone.AccessToken));
        Summary(output, $"scenario 3: logout rejected by Orders after {propagation.TotalMilliseconds:0} ms; the user's other session still accepted");
    }

    [SkippableFact]
    public async Task Scenario4_reusing_a_rotated_refresh_token_revokes_the_session_so_orders_rejects_its_access_token()
    {
        await stack.SkipUnlessServedAsync(ContractRoute.SignUp, ContractRoute.Login, ContractRoute.Refresh, ContractRoute.ListOrders);
        using var identity = stack.CreateIdentityClient();
        using var orders = stack.CreateOrdersClient();
        var (email, password) = NewUser("refresh");
        await identity.SignUpAsync(email, password);
        var first = await identity.LoginAsync(email, password);

        var rotated = await identity.RefreshAsync(first.RefreshToken);
        Assert.NotEqual(first.RefreshToken, rotated.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, await orders.StatusForAsync(rotated.AccessToken));

        using (var reuse = await identity.TryRefreshAsync(first.RefreshToken))
            Assert.Equal(HttpStatusCode.Unauthorized, reuse.StatusCode);
        var propagation = await WaitUntilRejectedAsync(orders, rotated.AccessToken, "after refresh-token reuse");

        using (var stolenLineage = await identity.TryRefreshAsync(rotated.RefreshToken))
            Assert.Equal(HttpStatusCode.Unauthorized, stolenLineage.StatusCode);
        Summary(output, $"scenario 4: refresh rotated; reuse of the old refresh token revoked the session, rejected by Orders after {propagation.TotalMilliseconds:0} ms");
    }
}
