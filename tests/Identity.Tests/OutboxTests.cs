namespace Platform.Identity.Tests;

public sealed class OutboxTests(PrivateBrokerApp app) : IClassFixture<PrivateBrokerApp>
{
    private readonly HttpClient _client = app.CreateClient();

    [Fact]
    public async Task With_the_broker_stopped_deactivations_commit_and_their_events_are_published_once_it_is_back()
    {
        var admin = (await _client.LoginAdminAsync()).AccessToken;
        var users = new List<CreatedUser>();
        for (var i = 0; i < 3; i++)
            users.Add(await _client.SignUpAsync(IdentityClient.NewEmail()));

        await app.Broker.StopAsync();
        foreach (var user in users)
            Assert.Equal(HttpStatusCode.NoContent, (await _client.SendAsync(HttpMethod.Post, $"/admin/users/{user.Id}/deactivate", admin)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/health/ready")).StatusCode);
        var waiting = await OutboxRowsAsync();
        Assert.Equal(3, waiting.Count(m => m.Type == nameof(UserDeactivated) && m.SentAt == null));
        Assert.Empty(app.Events.All<UserDeactivated>());

        await app.Broker.RestartAsync();

        foreach (var user in users)
            await app.Events.WaitForAsync<UserDeactivated>(e => e.UserId == user.Id, TimeSpan.FromSeconds(120));
        var sent = await WaitUntilAllSentAsync();
        Assert.Equal(3, app.Events.All<UserDeactivated>().Count);
        // MessageId is the outbox row id, so a consumer can de-duplicate a redelivery.
        Assert.Equal(sent.Where(m => m.Type == nameof(UserDeactivated)).Select(m => (Guid?)m.Id).Order(), app.Events.MessageIds<UserDeactivated>().Order());
    }

    private async Task<List<OutboxMessage>> OutboxRowsAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IdentityDb>().OutboxMessages.AsNoTracking().ToListAsync();
    }

    private Task<List<OutboxMessage>> WaitUntilAllSentAsync() =>
        Eventually.ValueAsync(OutboxRowsAsync, rows => rows.All(m => m.SentAt != null),
            "every outbox row to be marked sent after its event arrived", TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));
}
