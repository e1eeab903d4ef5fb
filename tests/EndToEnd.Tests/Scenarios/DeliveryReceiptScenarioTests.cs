using static Platform.EndToEnd.Tests.Scenarios.ScenarioSupport;

namespace Platform.EndToEnd.Tests.Scenarios;

/// <summary>
/// Proof of delivery on a running stack: every live Orders instance, with its own broker user, reports the
/// deactivation it applied, and Identity answers N/N for the event the deactivation named.
/// </summary>
[Collection(PlatformStackCollection.Name)]
public sealed class DeliveryReceiptScenarioTests(PlatformStack stack, ITestOutputHelper output)
{
    [SkippableFact]
    public async Task A_deactivation_is_reported_applied_by_every_live_orders_instance()
    {
        await stack.SkipUnlessServedAsync(ContractRoute.SignUp, ContractRoute.Login, ContractRoute.Deactivate);
        using var identity = stack.CreateIdentityClient();
        var (userId, _) = await SignedInUserAsync(identity, "receipts");
        var operatorToken = await stack.OperatorTokenAsync(identity);

        using var deactivate = await identity.SendAsync(HttpMethod.Post, $"admin/users/{userId}/deactivate", operatorToken, new { reason = "proof of delivery" });

        Assert.Equal(HttpStatusCode.NoContent, deactivate.StatusCode);
        var eventId = Guid.Parse(Assert.Single(deactivate.Headers.GetValues("Revocation-Event")));
        var delivery = await Eventually.ValueAsync(async () =>
            {
                using var response = await identity.SendAsync(HttpMethod.Get, $"admin/revocations/{eventId}", operatorToken);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                return await response.Content.ReadFromJsonAsync<JsonElement>();
            },
            d => d.GetProperty("expected").GetInt32() >= 1 && d.GetProperty("pending").GetArrayLength() == 0,
            "every live Orders instance to report the deactivation", TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(200));

        var applied = delivery.GetProperty("applied").EnumerateArray().ToList();
        Assert.Contains(applied, a => a.GetProperty("service").GetString() == "orders");
        var slowest = applied.Max(a => a.GetProperty("latencyMs").GetDouble());
        Summary(output, $"receipts: applied by {applied.Count}/{delivery.GetProperty("expected").GetInt32()} Orders instances, slowest {slowest:0} ms");
    }
}
