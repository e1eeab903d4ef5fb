using static Platform.EndToEnd.Tests.Scenarios.ScenarioSupport;

namespace Platform.EndToEnd.Tests.Scenarios;

[Collection(PlatformStackCollection.Name)]
public sealed class OrderingScenarioTests(PlatformStack stack, ITestOutputHelper output)
{
    [SkippableFact]
    public async Task Scenario1_a_new_user_places_lists_and_fetches_an_order_that_another_user_cannot_see()
    {
        await stack.SkipUnlessServedAsync(ContractRoute.SignUp, ContractRoute.Login, ContractRoute.PlaceOrder,
            ContractRoute.ListOrders, ContractRoute.GetOrder);
        using var identity = stack.CreateIdentityClient();
        using var orders = stack.CreateOrdersClient();
        var clock = Stopwatch.StartNew();

        var (email, password) = NewUser("ada");
        var user = await identity.SignUpAsync(email, password, "Ada");
        var tokens = await identity.LoginAsync(email, password);
        Assert.Equal("Bearer", tokens.TokenType);
        var signedInAfter = clock.ElapsedMilliseconds;

        var placed = await orders.PlaceAsync(tokens.AccessToken);
        Assert.Equal(user.Id, placed.UserId);
        Assert.Equal("Placed", placed.Status);
        Assert.Equal(2 * 12.50m + 3.20m, placed.Total);
        var placedAfter = clock.ElapsedMilliseconds;

        var page = await orders.ListAsync(tokens.AccessToken);
        Assert.Equal(placed.Id, Assert.Single(page.Items).Id);

        var fetched = await orders.GetAsync(tokens.AccessToken, placed.Id);
        Assert.Equal(placed.Id, fetched.Id);
        Assert.Equal(placed.Total, fetched.Total);

        var (otherEmail, otherPassword) = NewUser("bob");
        await identity.SignUpAsync(otherEmail, otherPassword);
        var other = await identity.LoginAsync(otherEmail, otherPassword);
        using var foreign = await orders.TryGetAsync(other.AccessToken, placed.Id);
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Empty((await orders.ListAsync(other.AccessToken)).Items);

        Summary(output, $"scenario 1: sign up + login {signedInAfter} ms, first order at {placedAfter} ms, list + fetch + second user done at {clock.ElapsedMilliseconds} ms; another user gets 404");
    }
}
