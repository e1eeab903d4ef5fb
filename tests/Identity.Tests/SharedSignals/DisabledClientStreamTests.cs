namespace Platform.Identity.Tests.SharedSignals;

/// <summary>A disabled client stops hearing: its streams are disabled with it and keep nothing that was waiting.</summary>
public sealed class DisabledClientStreamTests(SharedSignalsApp app) : IClassFixture<SharedSignalsApp>
{
    private readonly HttpClient _client = app.CreateClient();

    [Fact]
    public async Task Disabling_a_client_disables_its_streams_and_drops_their_waiting_SETs()
    {
        var (clientId, token) = await ClientTokens.NewClientAsync(_client);
        var (streamId, _) = await _client.CreatePollAsync(token, Streams.AccountDisabled);
        var admin = (await _client.LoginAdminAsync()).AccessToken;
        await DeactivateNewUserAsync(admin);
        Assert.Equal(1, await WaitingAsync(streamId));

        Assert.Equal(HttpStatusCode.NoContent, (await _client.SendAsync(HttpMethod.Post, $"/admin/clients/{clientId}/disable", admin)).StatusCode);
        await DeactivateNewUserAsync(admin);

        Assert.Equal(0, await WaitingAsync(streamId));
        var id = Guid.Parse(streamId);
        await using var scope = app.Services.CreateAsyncScope();
        var stream = await scope.ServiceProvider.GetRequiredService<IdentityDb>().SsfStreams.AsNoTracking().SingleAsync(s => s.Id == id);
        Assert.Equal("disabled", stream.Status);
    }

    private async Task DeactivateNewUserAsync(string admin)
    {
        var user = (await _client.NewUserAsync()).User;
        Assert.Equal(HttpStatusCode.NoContent, (await _client.SendAsync(HttpMethod.Post, $"/admin/users/{user.Id}/deactivate", admin)).StatusCode);
    }

    private async Task<int> WaitingAsync(string streamId)
    {
        var id = Guid.Parse(streamId);
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IdentityDb>().SsfDeliveries
            .CountAsync(d => d.StreamId == id && d.DeliveredAt == null && d.FailedAt == null);
    }
}
