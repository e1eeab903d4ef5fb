namespace Platform.Identity.Tests.SharedSignals;

/// <summary>Two Identity instances on one database share the pushing and never send one delivery row twice.</summary>
public sealed class TwoInstancesTests(SharedSignalsApp app) : IClassFixture<SharedSignalsApp>
{
    private readonly HttpClient _client = app.CreateClient();

    [Fact]
    public async Task Two_instances_push_every_SET_of_a_bulk_deactivation_exactly_once()
    {
        await using var peer = new PeerIdentityApp(app);
        _ = peer.Server;
        var (clientId, token) = await ClientTokens.NewClientAsync(_client);
        await using var receiver = await TestReceiver.StartAsync(_client, clientId.ToString(), app.Time.GetUtcNow);
        // Slow enough that SETs are still in flight at one instance when the other looks for work.
        receiver.Before = async _ =>
        {
            await Task.Delay(200);
            return null;
        };
        await _client.CreatePushAsync(token, receiver.EventsUrl, Streams.SessionRevoked, Streams.AccountDisabled);
        var admin = (await _client.LoginAdminAsync()).AccessToken;
        var ids = new List<Guid>();
        for (var i = 0; i < 20; i++)
            ids.Add((await _client.NewUserAsync()).User.Id);

        var response = await _client.SendAsync(HttpMethod.Post, "/admin/users/deactivate", admin, new { ids });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Eventually.HoldsAsync(() => Task.FromResult(receiver.Accepted.Count == 2 * ids.Count), () => $"{2 * ids.Count} SETs (has {receiver.Accepted.Count})");
        Assert.Equal(ids.Order(), receiver.Accepted.Where(s => s.EventType == Streams.AccountDisabled).Select(s => s.UserId!.Value).Order());
        Assert.Equal(ids.Order(), receiver.Accepted.Where(s => s.EventType == Streams.SessionRevoked).Select(s => s.UserId!.Value).Order());
        Assert.Equal(0, receiver.Duplicates);
        Assert.Equal(2 * ids.Count, receiver.Requests);
    }
}
