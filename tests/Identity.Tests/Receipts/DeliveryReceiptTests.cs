using MassTransit;
using Platform.Identity.Receipts;

namespace Platform.Identity.Tests.Receipts;

/// <summary>Identity whose delivery receipts this class alone produces.</summary>
public sealed class DeliveryReceiptApp : IdentityApp;

/// <summary>
/// Delivery receipts from two real resource-server instances on the ResourceServer library: each revocation an operator
/// starts is named in the response, every instance reports applying it, and Identity answers N/N.
/// </summary>
public sealed class DeliveryReceiptTests(DeliveryReceiptApp app) : IClassFixture<DeliveryReceiptApp>
{
    private readonly HttpClient _client = app.CreateClient();

    [Fact]
    public async Task Every_instance_reports_a_deactivation_and_an_operators_session_revocation_and_identity_answers_n_of_n()
    {
        await using var first = await ResourceServerHost.StartAsync(app, settings: Deliveries.FastHeartbeat);
        await using var second = await ResourceServerHost.StartAsync(app, settings: Deliveries.FastHeartbeat);
        string[] instances = [.. new[] { first.InstanceId, second.InstanceId }.Order(StringComparer.Ordinal)];
        await Deliveries.WaitUntilKnownAsync(app, instances);
        var admin = (await _client.LoginAdminAsync()).AccessToken;
        var (user, tokens) = await _client.NewUserAsync();
        var (other, _) = await _client.NewUserAsync();
        var sessionId = (await (await _client.SendAsync(HttpMethod.Get, $"/admin/users/{other.Id}", admin)).JsonAsync())
            .GetProperty("sessions")[0].GetProperty("id").GetGuid();

        using var deactivate = await _client.SendAsync(HttpMethod.Post, $"/admin/users/{user.Id}/deactivate", admin);
        using var revoke = await _client.SendAsync(HttpMethod.Delete, $"/admin/sessions/{sessionId}", admin);
        using var again = await _client.SendAsync(HttpMethod.Post, $"/admin/users/{user.Id}/deactivate", admin);

        Assert.Equal(HttpStatusCode.NoContent, deactivate.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, again.StatusCode);
        // Nothing new was published the second time, so there is nothing to follow.
        Assert.False(again.Headers.Contains(Deliveries.EventHeader));
        foreach (var (response, type) in new[] { (deactivate, nameof(UserDeactivated)), (revoke, nameof(SessionRevoked)) })
        {
            var eventId = Deliveries.EventOf(response);
            var delivery = await Deliveries.WaitAsync(_client, admin, eventId,
                d => Deliveries.Applied(d).Length == 2, $"both instances to report {type}");
            Assert.Equal(eventId, delivery.GetProperty("eventId").GetGuid());
            Assert.Equal(type, delivery.GetProperty("type").GetString());
            Assert.Equal(2, Deliveries.Expected(delivery));
            Assert.Equal(instances, Deliveries.Applied(delivery));
            Assert.Empty(Deliveries.Pending(delivery));
            Assert.All(delivery.GetProperty("applied").EnumerateArray(), a =>
            {
                Assert.Equal("api", a.GetProperty("service").GetString());
                Assert.True(a.GetProperty("latencyMs").GetDouble() >= 0);
            });
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await first.StatusWithAsync(tokens.AccessToken));
        Assert.Equal(HttpStatusCode.Unauthorized, await second.StatusWithAsync(tokens.AccessToken));
    }

    [Fact]
    public async Task An_event_delivered_twice_is_reported_twice_with_its_id_and_stored_once_per_instance()
    {
        await using var first = await ResourceServerHost.StartAsync(app, settings: Deliveries.FastHeartbeat);
        await using var second = await ResourceServerHost.StartAsync(app, settings: Deliveries.FastHeartbeat);
        await Deliveries.WaitUntilKnownAsync(app, first.InstanceId, second.InstanceId);
        var duplicated = Guid.NewGuid();
        var revoked = new UserDeactivated(Guid.NewGuid(), DateTimeOffset.UtcNow, "redelivered");

        // As the outbox does after a crash between the broker's confirm and the row's commit: the same row, twice.
        await app.Events.Bus.Publish(revoked, context => context.MessageId = duplicated);
        await app.Events.Bus.Publish(revoked, context => context.MessageId = duplicated);

        await Eventually.HoldsAsync(() => app.Events.All<RevocationApplied>().Count(r => r.EventId == duplicated) == 4,
            "each instance to report each copy under the event's id", TimeSpan.FromSeconds(30));
        // Identity's receipt queue is consumed in order, one message at a time: once a receipt sent after all four is
        // stored, the four were handled.
        var marker = Guid.NewGuid();
        await app.Events.Bus.Publish(new RevocationReceiptsSent([new RevocationApplied(marker, "api-marker", DateTimeOffset.UtcNow)]));
        await Eventually.HoldsAsync(async () => await Deliveries.ReceiptRowsAsync(app, marker) == 1,
            "Identity to store the receipt sent after the copies", TimeSpan.FromSeconds(30));
        Assert.Equal(2, await Deliveries.ReceiptRowsAsync(app, duplicated));
    }

    [Fact]
    public async Task A_message_with_more_receipts_than_an_instance_sends_is_dropped_whole_and_a_bad_receipt_beside_good_ones_alone()
    {
        var flood = Guid.NewGuid();
        var good = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;

        await app.Events.Bus.Publish(new RevocationReceiptsSent(
            [.. Enumerable.Range(0, RevocationReceiptConsumer.MaxReceipts + 1).Select(i => new RevocationApplied(flood, $"api-flood-{i}", now))]));
        await app.Events.Bus.Publish(new RevocationReceiptsSent(
        [
            new RevocationApplied(Guid.Empty, "api-no-event", now),
            new RevocationApplied(good, new string('a', ApiInstance.MaxIdLength + 1), now),
            null!,
            new RevocationApplied(good, "api-good", now),
            new RevocationApplied(good, "api-good", now.AddSeconds(1)),
        ]));

        // Identity takes the receipt queue one message at a time, in order: once the second is stored, the first was handled.
        await Eventually.HoldsAsync(async () => await Deliveries.ReceiptRowsAsync(app, good) == 1,
            "Identity to store the good receipt", TimeSpan.FromSeconds(30));
        Assert.Equal(0, await Deliveries.ReceiptRowsAsync(app, flood));
        Assert.Equal(0, await Deliveries.ReceiptRowsAsync(app, Guid.Empty));
    }
}
