using Platform.EndToEnd.Tests.Attacks;
using static Platform.EndToEnd.Tests.Scenarios.ScenarioSupport;

namespace Platform.EndToEnd.Tests.Scenarios;

/// <summary>A forced key rotation under traffic: the new key is known to Orders before anything is signed with it.</summary>
[Collection(FaultStackCollection.Name)]
public sealed class KeyRotationScenarioTests(ITestOutputHelper output)
{
    // Short enough for a test, inside Identity's rule that propagation is at least twice the JWKS max-age. Orders'
    // periodic JWKS refresh cannot go below IdentityModel's five-minute floor, which the default 15-minute propagation
    // covers; a 5-second one cannot, so the test compresses that periodic refresh into one it provokes (see below).
    private static readonly StackOptions ShortPropagation = new()
    {
        IdentitySettings = new Dictionary<string, string>
        {
            ["Identity__SigningKeys__JwksMaxAge"] = "00:00:02",
            ["Identity__SigningKeys__PropagationTime"] = "00:00:05",
        },
        OrdersSettings = new Dictionary<string, string>
        {
            ["Orders__RefreshInterval"] = "00:00:01",
        },
    };

    private static readonly TimeSpan RunAfterSwitch = TimeSpan.FromSeconds(4);

    [SkippableFact]
    public async Task Scenario6_a_forced_key_rotation_under_traffic_rejects_no_valid_token_old_or_fresh()
    {
        await using var stack = await PlatformStack.StartOwnAsync(ShortPropagation);
        using var identity = stack.CreateIdentityClient();
        using var orders = stack.CreateOrdersClient();
        var (email, password) = NewUser("rotation");
        await identity.SignUpAsync(email, password);
        var oldTokens = await Task.WhenAll(identity.LoginAsync(email, password), identity.LoginAsync(email, password));
        var oldKid = TokenParts.KidOf(oldTokens[0].AccessToken);
        var operatorToken = (await identity.LoginOperatorAsync(stack.OperatorEmail, stack.OperatorPassword)).AccessToken;

        var clock = Stopwatch.StartNew();
        var newKid = (await identity.RotateKeysAsync(operatorToken)).Kid;
        Assert.NotEqual(oldKid, newKid);
        // Stands in for the periodic JWKS refresh that falls inside a real propagation time: a token with an unknown
        // kid makes Orders re-read the JWKS now, while the new key is published but does not sign yet. Whether the
        // new key is in what Orders reads is Identity's part, and what the loop below tests.
        using (var attacker = RSA.Create(2048))
        {
            var unknownKid = Forge.Token(oldTokens[0].AccessToken, (header, _) => header["kid"] = Guid.NewGuid().ToString("N"),
                Forge.Rsa(attacker, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
            Assert.Equal(HttpStatusCode.Unauthorized, await orders.StatusForAsync(unknownKid));
        }

        var statuses = new ConcurrentQueue<(string Kid, bool Fresh, HttpStatusCode Status)>();
        var switchedAt = new TimeSpan?[1];
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        async Task ClientLoopAsync(TokenResponse old)
        {
            var refreshToken = old.RefreshToken;
            while (!stop.IsCancellationRequested)
            {
                var fresh = await identity.RefreshAsync(refreshToken);
                refreshToken = fresh.RefreshToken;
                var freshKid = TokenParts.KidOf(fresh.AccessToken);
                if (freshKid == newKid)
                    lock (switchedAt)
                        switchedAt[0] ??= clock.Elapsed;
                statuses.Enqueue((freshKid, true, await PlaceAsync(orders, fresh.AccessToken)));
                statuses.Enqueue((oldKid, false, await PlaceAsync(orders, old.AccessToken)));
                if (clock.Elapsed > switchedAt[0] + RunAfterSwitch)
                    return;
            }
        }

        await Task.WhenAll(oldTokens.Select(ClientLoopAsync));

        var all = statuses.ToList();
        var byStatus = string.Join(", ", all.GroupBy(s => s.Status).Select(g => $"{(int)g.Key}: {g.Count()}"));
        Assert.True(switchedAt[0] is not null, $"no freshly issued token carried the new kid within 60 s ({byStatus})");
        Assert.DoesNotContain(all, s => s.Status == HttpStatusCode.Unauthorized);
        Assert.All(all, s => Assert.Equal(HttpStatusCode.Created, s.Status));
        Assert.Contains(all, s => s.Fresh && s.Kid == newKid);
        Assert.Contains(all, s => s.Fresh && s.Kid == oldKid);
        Assert.Contains(all, s => !s.Fresh);
        Summary(output, $"scenario 6: rotation under traffic, {all.Count} orders ({byStatus}), zero 401s; fresh tokens switched to the new kid " +
            $"{switchedAt[0]!.Value.TotalMilliseconds:0} ms after the rotation, old-kid tokens kept working {RunAfterSwitch.TotalSeconds:0} s past the switch");
    }

    private static async Task<HttpStatusCode> PlaceAsync(OrdersClient orders, string accessToken)
    {
        using var response = await orders.TryPlaceAsync(accessToken, OrdersClient.SampleItems);
        return response.StatusCode;
    }
}
