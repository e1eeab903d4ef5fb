using static Platform.EndToEnd.Tests.Scenarios.ScenarioSupport;

namespace Platform.EndToEnd.Tests.Scenarios;

/// <summary>Password change and reset end sessions, and Orders hears of it.</summary>
[Collection(PlatformStackCollection.Name)]
public sealed class PasswordScenarioTests(PlatformStack stack, ITestOutputHelper output)
{
    [SkippableFact]
    public async Task Scenario5_password_change_rejects_the_other_sessions_and_a_reset_from_the_broker_event_rejects_all_sessions()
    {
        stack.SkipUnlessLocal();
        await stack.SkipUnlessServedAsync(ContractRoute.SignUp, ContractRoute.Login, ContractRoute.ListOrders,
            ContractRoute.ChangePassword, ContractRoute.ForgotPassword, ContractRoute.ResetPassword);
        // Subscribed before anything is published: the reset token reaches the test only as a notifier would get it.
        await using var observer = await stack.ObserveEventsAsync();
        using var identity = stack.CreateIdentityClient();
        using var orders = stack.CreateOrdersClient();
        var (email, password) = NewUser("password");
        var user = await identity.SignUpAsync(email, password);
        var changingSession = await identity.LoginAsync(email, password);
        var otherSession = await identity.LoginAsync(email, password);
        Assert.Equal(HttpStatusCode.OK, await orders.StatusForAsync(otherSession.AccessToken));

        var changed = password + "-changed";
        await identity.ChangePasswordAsync(changingSession.AccessToken, password, changed);
        var changePropagation = await WaitUntilRejectedAsync(orders, otherSession.AccessToken, "other session after password change");
        Assert.Equal(HttpStatusCode.OK, await orders.StatusForAsync(changingSession.AccessToken));

        var laptop = await identity.LoginAsync(email, changed);
        var phone = await identity.LoginAsync(email, changed);
        Assert.Equal(HttpStatusCode.OK, await orders.StatusForAsync(laptop.AccessToken));
        await identity.ForgotPasswordAsync(email);
        await observer.WaitForAsync<PasswordResetRequested>(e => e.UserId == user.Id, TimeSpan.FromSeconds(30));
        using var mail = MailCatcher.Shared();
        var resetToken = await mail.WaitForResetTokenAsync(email, TimeSpan.FromSeconds(30));

        await identity.ResetPasswordAsync(email, resetToken, password + "-reset");
        var resetPropagation = await Task.WhenAll(
            WaitUntilRejectedAsync(orders, laptop.AccessToken, "first session after reset"),
            WaitUntilRejectedAsync(orders, phone.AccessToken, "second session after reset"),
            WaitUntilRejectedAsync(orders, changingSession.AccessToken, "session that changed the password, after reset"));

        using (var oldPassword = await identity.TryLoginAsync(email, changed))
            Assert.Equal(HttpStatusCode.Unauthorized, oldPassword.StatusCode);
        Summary(output, $"scenario 5: password change rejected the other session after {changePropagation.TotalMilliseconds:0} ms; " +
            $"reset with the mailed code rejected all {resetPropagation.Length} sessions within {resetPropagation.Max().TotalMilliseconds:0} ms");
    }
}
