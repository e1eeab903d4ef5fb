using static Platform.EndToEnd.Tests.Scenarios.ScenarioSupport;

namespace Platform.EndToEnd.Tests.Scenarios;

/// <summary>
/// The compose stack's data outlives its containers: <c>./platform compose down</c> then <c>up</c> keeps users,
/// signing keys, sessions, orders and revocations in the named volumes, and <c>down -v</c> starts clean.
/// </summary>
[Collection(PlatformStackCollection.Name)]
public sealed class ComposeDurabilityScenarioTests(PlatformStack stack, ITestOutputHelper output)
{
    [SkippableFact]
    public async Task Down_then_up_keeps_users_keys_sessions_orders_and_revocations_and_down_v_starts_clean()
    {
        var compose = stack.SkipUnlessCompose();
        var replicaCount = stack.OrdersUrls.Count;
        using var identity = stack.CreateIdentityClient();
        var (keptEmail, keptPassword) = NewUser("kept");
        await identity.SignUpAsync(keptEmail, keptPassword);
        var kept = await identity.LoginAsync(keptEmail, keptPassword);
        Guid orderId;
        using (var orders = stack.CreateOrdersClient())
            orderId = (await orders.PlaceAsync(kept.AccessToken)).Id;
        var (deactivatedUser, deactivatedToken) = await SignedInUserAsync(identity, "deactivated-before-down");
        var (_, loggedOutToken) = await SignedInUserAsync(identity, "logged-out-before-down");
        await identity.DeactivateAsync(await stack.OperatorTokenAsync(identity), deactivatedUser, "before compose down");
        await identity.LogoutAsync(loggedOutToken);
        foreach (var replica in await stack.OrdersReplicasAsync())
        {
            await WaitUntilRejectedAsync(replica, deactivatedToken, "deactivation before down");
            await WaitUntilRejectedAsync(replica, loggedOutToken, "logout before down");
            replica.Dispose();
        }

        var keysBefore = await PublishedKeyIdsAsync(identity);

        var clock = Stopwatch.StartNew();
        await compose.DownAsync();
        await compose.UpAsync(replicaCount);
        var downUp = clock.Elapsed;

        Assert.Equal(keysBefore, await PublishedKeyIdsAsync(identity));
        var replicas = await stack.OrdersReplicasAsync();
        foreach (var (replica, i) in replicas.Select((r, i) => (r, i + 1)))
        {
            // First requests after up: the old token still verifies, the revocations made before down still hold.
            Assert.True(HttpStatusCode.OK == await replica.StatusForAsync(kept.AccessToken), $"replica {i}: a token issued before down was refused");
            Assert.True(HttpStatusCode.Unauthorized == await replica.StatusForAsync(deactivatedToken), $"replica {i}: a deactivation made before down was forgotten");
            Assert.True(HttpStatusCode.Unauthorized == await replica.StatusForAsync(loggedOutToken), $"replica {i}: a logout made before down was forgotten");
            Assert.Equal(orderId, (await replica.GetAsync(kept.AccessToken, orderId)).Id);
        }

        replicas.DisposeAll();
        await identity.RefreshAsync(kept.RefreshToken);
        await identity.LoginAsync(keptEmail, keptPassword);

        clock.Restart();
        await compose.DownAsync(deleteData: true);
        await compose.UpAsync(replicaCount);
        var clean = clock.Elapsed;

        using (var response = await identity.TryLoginAsync(keptEmail, keptPassword))
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain(TokenParts.KidOf(kept.AccessToken), await PublishedKeyIdsAsync(identity));
        replicas = await stack.OrdersReplicasAsync();
        foreach (var replica in replicas)
            Assert.Equal(HttpStatusCode.Unauthorized, await replica.StatusForAsync(kept.AccessToken));
        replicas.DisposeAll();
        // The operator comes back from .env, so the stack is usable at once.
        await stack.OperatorTokenAsync(identity);
        Summary(output, $"compose: down and up ({downUp.TotalSeconds:0} s) kept users, keys, sessions, orders and revocations on all " +
            $"{replicaCount} replicas; down -v and up ({clean.TotalSeconds:0} s) started clean");
    }

    private static async Task<SortedSet<string>> PublishedKeyIdsAsync(IdentityClient identity)
    {
        using var response = await identity.SendAsync(HttpMethod.Get, ".well-known/jwks.json");
        response.EnsureSuccessStatusCode();
        var jwks = await response.Content.ReadFromJsonAsync<JsonObject>();
        return new SortedSet<string>(jwks!["keys"]!.AsArray().Select(k => k!["kid"]!.GetValue<string>()), StringComparer.Ordinal);
    }
}
