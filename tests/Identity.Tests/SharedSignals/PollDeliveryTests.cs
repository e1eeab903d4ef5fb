namespace Platform.Identity.Tests.SharedSignals;

/// <summary>
/// RFC 8936 poll delivery: the receiver fetches waiting SETs from the endpoint its stream names, gets them again until it
/// acknowledges them, and can report one it could not accept; only the stream's owner polls it.
/// </summary>
public sealed class PollDeliveryTests(SharedSignalsApp app) : IClassFixture<SharedSignalsApp>
{
    private readonly HttpClient _client = app.CreateClient();

    [Fact]
    public async Task A_receiver_polls_its_SETs_gets_them_again_until_acknowledged_and_reports_errors()
    {
        var (clientId, token) = await ClientTokens.NewClientAsync(_client);
        await using var receiver = await TestReceiver.StartAsync(_client, clientId.ToString(), app.Time.GetUtcNow);
        var (streamId, pollUrl) = await _client.CreatePollAsync(token, Streams.SessionRevoked);
        var poll = new Uri(pollUrl).PathAndQuery;
        Assert.Equal($"/ssf/poll/{streamId}", poll);
        var (_, first) = await _client.NewUserAsync();
        var (_, second) = await _client.NewUserAsync();
        await _client.SendAsync(HttpMethod.Post, "/auth/logout", first.AccessToken);
        await _client.SendAsync(HttpMethod.Post, "/auth/logout", second.AccessToken);

        var one = await PollAsync(poll, token, new { maxEvents = 1, returnImmediately = true });
        Assert.True(one.GetProperty("moreAvailable").GetBoolean());
        var firstJti = Assert.Single(one.GetProperty("sets").EnumerateObject()).Name;
        var again = await PollAsync(poll, token, new { returnImmediately = true });
        var sets = again.GetProperty("sets").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
        Assert.Equal(2, sets.Count);
        Assert.Contains(firstJti, sets.Keys);
        Assert.False(again.GetProperty("moreAvailable").GetBoolean());
        foreach (var set in sets.Values)
            Assert.Equal(202, ((Microsoft.AspNetCore.Http.IStatusCodeHttpResult)await receiver.ApplyAsync(set)).StatusCode);
        Assert.All(receiver.Accepted, s => Assert.Equal(Streams.SessionRevoked, s.EventType));

        var secondJti = sets.Keys.Single(k => k != firstJti);
        var settled = await PollAsync(poll, token, new
        {
            ack = new[] { firstJti },
            setErrs = new Dictionary<string, object> { [secondJti] = new { err = "invalid_audience", description = "not for us" } },
            returnImmediately = true,
        });
        Assert.Empty(settled.GetProperty("sets").EnumerateObject());
        var status = await _client.StatusAsync(token, streamId);
        Assert.Equal(1, status.GetProperty("failed_deliveries").GetInt32());
        Assert.Equal("receiver reported invalid_audience", status.GetProperty("last_error").GetString());
    }

    [Fact]
    public async Task Only_the_owner_polls_a_stream_and_a_push_stream_is_not_polled()
    {
        var (_, token) = await ClientTokens.NewClientAsync(_client);
        var (_, other) = await ClientTokens.NewClientAsync(_client);
        var (streamId, _) = await _client.CreatePollAsync(token);
        var push = await _client.CreatePushAsync(token, "https://receiver.example.test/events");

        await (await _client.SendAsync(HttpMethod.Post, $"/ssf/poll/{streamId}", other, new { returnImmediately = true })).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await _client.SendAsync(HttpMethod.Post, $"/ssf/poll/{push}", token, new { returnImmediately = true })).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await _client.SendAsync(HttpMethod.Post, $"/ssf/poll/{streamId}", token, new { maxEvents = "many" })).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    private async Task<JsonElement> PollAsync(string poll, string token, object body)
    {
        var response = await _client.SendAsync(HttpMethod.Post, poll, token, body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }
}
