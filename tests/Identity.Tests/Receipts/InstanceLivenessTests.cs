using MassTransit;

namespace Platform.Identity.Tests.Receipts;

/// <summary>Identity whose clock this class alone moves on.</summary>
public sealed class InstanceLivenessApp : IdentityApp;

/// <summary>
/// Who counts: an instance that stopped sending heartbeats leaves <c>expected</c> after three missed beats (its
/// receipts stay), and an instance that keeps beating but does not apply an event stays pending, so an operator
/// waiting for N/N learns which one.
/// </summary>
public sealed class InstanceLivenessTests(InstanceLivenessApp app) : IClassFixture<InstanceLivenessApp>
{
    private readonly HttpClient _client = app.CreateClient();

    [Fact]
    public async Task A_gone_instance_leaves_the_count_while_its_receipts_stay_and_a_live_one_that_misses_the_event_stays_pending()
    {
        await using var staying = await ResourceServerHost.StartAsync(app, settings: Deliveries.FastHeartbeat);
        var leaving = await ResourceServerHost.StartAsync(app, settings: Deliveries.FastHeartbeat);
        var leavingId = leaving.InstanceId;
        await Deliveries.WaitUntilKnownAsync(app, staying.InstanceId, leavingId);
        var admin = (await _client.LoginAdminAsync()).AccessToken;
        using var before = await _client.SendAsync(HttpMethod.Post, $"/admin/users/{(await _client.NewUserAsync()).User.Id}/deactivate", admin);
        var earlier = Deliveries.EventOf(before);
        await Deliveries.WaitAsync(_client, admin, earlier, d => Deliveries.Applied(d).Length == 2, "both instances to report the first event");

        await leaving.DisposeAsync();
        // A beat the stopped instance sent just before it stopped may still wait in the queue; recorded after the clock
        // moves, it would date the instance a minute later and keep it counted. One beat published after them, once
        // recorded, says they were: the queue delivers in order and its batches are stored one at a time.
        var marker = $"api-marker-{Guid.NewGuid():N}";
        await app.Events.Bus.Publish(new InstanceHeartbeatSent(marker, "api", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, TimeSpan.FromSeconds(1), Ready: true));
        await Deliveries.WaitUntilKnownAsync(app, marker);
        // Past three missed beats of one second; the instance still running beats again within a second.
        app.Time.Advance(TimeSpan.FromMinutes(1));
        var silent = $"api-silent-{Guid.NewGuid():N}";
        await app.Events.Bus.Publish(new InstanceHeartbeatSent(silent, "api", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, TimeSpan.FromSeconds(10), Ready: true));
        await Deliveries.WaitUntilKnownAsync(app, silent);
        var afterLeaving = await Deliveries.WaitAsync(_client, admin, earlier, d => Deliveries.Expected(d) == 1,
            "the stopped instance to leave the count once the running one beat again");

        Assert.Equal(2, Deliveries.Applied(afterLeaving).Length);
        Assert.Contains(leavingId, Deliveries.Applied(afterLeaving));
        Assert.Empty(Deliveries.Pending(afterLeaving)); // heard of after the event was written: not expected to apply it

        using var after = await _client.SendAsync(HttpMethod.Post, $"/admin/users/{(await _client.NewUserAsync()).User.Id}/deactivate", admin);
        var later = Deliveries.EventOf(after);
        var delivery = await Deliveries.WaitAsync(_client, admin, later, d => Deliveries.Applied(d).Length == 1, "the running instance to report");

        Assert.Equal([staying.InstanceId], Deliveries.Applied(delivery));
        Assert.Equal(2, Deliveries.Expected(delivery));
        Assert.Equal([silent], Deliveries.Pending(delivery));
        Assert.DoesNotContain(leavingId, Deliveries.Pending(delivery));
    }
}
