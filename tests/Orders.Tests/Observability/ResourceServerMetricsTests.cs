using System.Diagnostics.Metrics;
using Platform.Contracts;
using Platform.ResourceServer.Diagnostics;

namespace Platform.Orders.Tests.Observability;

/// <summary>The resource server's metrics, measured on a running Orders instance over HTTP and the real broker.</summary>
[Collection(OrdersCollection.Name)]
public sealed class ResourceServerMetricsTests(OrdersFixture fixture)
{
    private const string Rejected = "platform.resource_server.tokens.rejected";

    private TestTokenIssuer Issuer => fixture.Issuer;

    [Fact]
    public async Task Tokens_rejected_at_Orders_are_counted_with_their_reason()
    {
        using var metrics = Recorder();
        var past = DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds();
        var expired = Issuer.Mint(change: (_, c) => (c["iat"], c["nbf"], c["exp"]) = (past, past, past + 600));
        var otherAudience = Issuer.Mint(change: (_, c) => c["aud"] = new[] { "billing" });
        var forged = Issuer.Mint(sign: _ => new byte[256]);

        foreach (var token in new[] { expired, otherAudience, forged })
            Assert.Equal(HttpStatusCode.Unauthorized, await Status(token));

        Assert.Single(metrics.Values(Rejected, ("reason", "expired")));
        Assert.Single(metrics.Values(Rejected, ("reason", "audience")));
        Assert.Single(metrics.Values(Rejected, ("reason", "signature")));
        Assert.Equal(3, metrics.Values(Rejected).Count);
    }

    [Fact]
    public async Task A_revoked_token_is_counted_as_revoked()
    {
        using var metrics = Recorder();
        var session = Guid.NewGuid();
        var token = Issuer.Mint(sessionId: session);
        await fixture.Identity.PublishAsync(new SessionRevoked(session, Guid.NewGuid(), DateTimeOffset.UtcNow, SessionRevokedReasons.Admin));

        await Eventually.HoldsAsync(async () => await Status(token) == HttpStatusCode.Unauthorized, "the deactivated user's token to be rejected");

        Assert.NotEmpty(metrics.Values(Rejected, ("reason", "revoked")));
    }

    [Fact]
    public async Task Propagation_lag_from_event_time_to_application_is_recorded_when_an_event_is_applied()
    {
        using var metrics = Recorder();
        // An event stamped 5 s ago: the lag measured when it is applied covers at least that.
        var user = Guid.NewGuid();
        await fixture.Identity.PublishAsync(new UserDeactivated(user, DateTimeOffset.UtcNow.AddSeconds(-5), "lag test"));

        await Eventually.HoldsAsync(() => metrics.Values("platform.revocation.lag").Any(lag => lag >= 5), "a revocation lag of at least 5 s to be recorded");
        var lag = metrics.Values("platform.revocation.lag").First(value => value >= 5);
        Assert.InRange(lag, 5, 60);

        metrics.Observe();
        Assert.InRange(metrics.Values("platform.revocation.since_last_event")[^1], 0, 60);
        Assert.True(metrics.Values("platform.revocation.entries")[^1] >= 1);
    }

    private MetricRecorder Recorder() => new(fixture.App.Get<IMeterFactory>(), ResourceServerMetrics.MeterName);

    private async Task<HttpStatusCode> Status(string token)
    {
        using var client = fixture.App.ClientWith(token);
        using var response = await client.GetAsync("/orders");
        return response.StatusCode;
    }
}
