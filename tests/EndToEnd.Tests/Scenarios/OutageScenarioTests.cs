using static Platform.EndToEnd.Tests.Scenarios.ScenarioSupport;

namespace Platform.EndToEnd.Tests.Scenarios;

/// <summary>Orders with its database down, and with Identity down.</summary>
[Collection(FaultStackCollection.Name)]
public sealed class OutageScenarioTests(ITestOutputHelper output)
{
    [SkippableFact]
    public async Task Scenario11_orders_database_down_answers_503_problems_and_unready_then_recovers_without_restart()
    {
        await using var stack = await PlatformStack.StartOwnAsync(new StackOptions { PrivateOrdersDatabase = true });
        using var identity = stack.CreateIdentityClient();
        using var orders = stack.CreateOrdersClient();
        var (email, password) = NewUser("db-outage");
        await identity.SignUpAsync(email, password);
        var token = (await identity.LoginAsync(email, password)).AccessToken;
        await orders.PlaceAsync(token);

        await stack.OrdersDatabaseServer!.StopAsync();
        var clock = Stopwatch.StartNew();
        using (var refused = await orders.TryPlaceAsync(token, OrdersClient.SampleItems))
        {
            var body = await refused.Content.ReadAsStringAsync();
            Assert.True(refused.StatusCode == HttpStatusCode.ServiceUnavailable, $"POST /orders with the database down: {(int)refused.StatusCode} {body}");
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.Equal(503, JsonDocument.Parse(body).RootElement.GetProperty("status").GetInt32());
        }

        var placeRefusedAfter = clock.Elapsed;
        var unreadyAfter = await WaitForAsync(async () => !await stack.Orders!.IsReadyAsync(), "/health/ready to turn 503 with the database down");

        await stack.OrdersDatabaseServer.RestartAsync();
        clock.Restart();
        var readyAgainAfter = await WaitForAsync(stack.Orders!.IsReadyAsync, "/health/ready to turn 200 once the database is back");
        var placedAgainAfter = await WaitForAsync(async () =>
        {
            using var response = await orders.TryPlaceAsync(token, OrdersClient.SampleItems);
            return response.StatusCode == HttpStatusCode.Created;
        }, "POST /orders to succeed once the database is back");
        Assert.True(stack.Orders.IsRunning);

        Summary(output, $"scenario 11: database down → POST /orders 503 problem after {placeRefusedAfter.TotalMilliseconds:0} ms, /health/ready 503 after {unreadyAfter.TotalMilliseconds:0} ms; " +
            $"database back → ready after {readyAgainAfter.TotalMilliseconds:0} ms, orders placed after {placedAgainAfter.TotalMilliseconds:0} ms, same process");
    }

    [SkippableFact]
    public async Task Scenario12_with_identity_stopped_orders_keeps_accepting_valid_tokens_and_rejecting_revoked_ones()
    {
        await using var stack = await PlatformStack.StartOwnAsync(new StackOptions());
        using var identity = stack.CreateIdentityClient();
        using var orders = stack.CreateOrdersClient();
        var (email, password) = NewUser("identity-down");
        await identity.SignUpAsync(email, password);
        var valid = (await identity.LoginAsync(email, password)).AccessToken;
        var revoked = (await identity.LoginAsync(email, password)).AccessToken;
        await identity.LogoutAsync(revoked);
        await WaitUntilRejectedAsync(orders, revoked, "after logout");

        await stack.Identity!.StopAsync();
        Assert.False(stack.Identity.IsRunning);
        var clock = Stopwatch.StartNew();
        var rounds = 0;
        // Several rounds over a few seconds, so an attempt to reach Identity (a JWKS refresh) would have happened.
        while (clock.Elapsed < TimeSpan.FromSeconds(5))
        {
            await orders.PlaceAsync(valid);
            Assert.Equal(HttpStatusCode.OK, await orders.StatusForAsync(valid));
            Assert.Equal(HttpStatusCode.Unauthorized, await orders.StatusForAsync(revoked));
            rounds++;
            await Task.Delay(500);
        }

        Summary(output, $"scenario 12: Identity stopped; for {clock.Elapsed.TotalSeconds:0.0} s ({rounds} rounds) Orders accepted the valid token (orders placed) and rejected the logged-out one");
    }

    private static Task<TimeSpan> WaitForAsync(Func<Task<bool>> condition, string what) =>
        Eventually.HoldsAsync(condition, what, RecoveryLimit, TimeSpan.FromMilliseconds(200));
}
