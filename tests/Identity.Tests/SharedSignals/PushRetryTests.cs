using Microsoft.AspNetCore.Http;

namespace Platform.Identity.Tests.SharedSignals;

/// <summary>
/// RFC 8935 push outcomes: a receiver that fails gets the SET again after a backoff, with the same jti; one that refuses
/// it with an error body gets it no more; one that keeps failing is given up on after the attempts allowed, and the
/// stream's status says so.
/// </summary>
public sealed class PushRetryTests(SharedSignalsApp app) : IClassFixture<SharedSignalsApp>
{
    private readonly HttpClient _client = app.CreateClient();

    [Fact]
    public async Task A_receiver_that_answers_500_gets_the_same_SET_again_and_takes_it()
    {
        var (clientId, token) = await ClientTokens.NewClientAsync(_client);
        await using var receiver = await TestReceiver.StartAsync(_client, clientId.ToString(), app.Time.GetUtcNow);
        receiver.Before = n => Task.FromResult(n == 1 ? Results.StatusCode(500) : null);
        var streamId = Guid.Parse(await _client.CreatePushAsync(token, receiver.EventsUrl, Streams.SessionRevoked));

        await LogOutSomeoneAsync();

        var set = await Eventually.FoundAsync(() => { app.Time.Advance(TimeSpan.FromMilliseconds(250)); return receiver.Find(Streams.SessionRevoked); },
            "the SET pushed again after the 500");
        Assert.Equal(2, receiver.Requests);
        // Marked delivered once the receiver's 202 is back, a moment after the receiver took the SET.
        var row = await Eventually.ValueAsync(() => RowAsync(streamId), r => r.DeliveredAt is not null, "the row marked delivered");
        Assert.Equal(Guid.Parse(set.Token.Id), row.Id);
        Assert.Equal(2, row.Attempts);
    }

    [Fact]
    public async Task A_SET_refused_with_an_RFC_8935_error_is_not_sent_again()
    {
        var (clientId, token) = await ClientTokens.NewClientAsync(_client);
        await using var receiver = await TestReceiver.StartAsync(_client, clientId.ToString(), app.Time.GetUtcNow);
        receiver.Before = _ => Task.FromResult<IResult?>(Results.Json(new { err = "invalid_audience", description = "not ours" }, statusCode: 400));
        var streamId = await _client.CreatePushAsync(token, receiver.EventsUrl, Streams.SessionRevoked);

        await LogOutSomeoneAsync();

        var status = await Eventually.ValueAsync(() => _client.StatusAsync(token, streamId), s => s.GetProperty("failed_deliveries").GetInt32() == 1, "the refusal recorded");
        Assert.Equal("refused with invalid_audience", status.GetProperty("last_error").GetString());
        var row = await RowAsync(Guid.Parse(streamId));
        Assert.Equal(1, row.Attempts);
        Assert.NotNull(row.FailedAt);
        Assert.Null(row.DeliveredAt);
    }

    [Fact]
    public async Task A_receiver_that_keeps_failing_is_given_up_on_after_the_attempts_allowed()
    {
        var (clientId, token) = await ClientTokens.NewClientAsync(_client);
        await using var receiver = await TestReceiver.StartAsync(_client, clientId.ToString(), app.Time.GetUtcNow);
        receiver.Before = _ => Task.FromResult<IResult?>(Results.StatusCode(503));
        var streamId = await _client.CreatePushAsync(token, receiver.EventsUrl, Streams.SessionRevoked);

        await LogOutSomeoneAsync();

        var status = await Eventually.ValueAsync(async () =>
        {
            app.Time.Advance(TimeSpan.FromMilliseconds(500));
            return await _client.StatusAsync(token, streamId);
        }, s => s.GetProperty("failed_deliveries").GetInt32() == 1, "the SET given up on");
        Assert.Equal($"gave up after {SharedSignalsApp.MaxAttempts} attempts, last answered 503", status.GetProperty("last_error").GetString());
        Assert.Equal(SharedSignalsApp.MaxAttempts, receiver.Requests);
        Assert.Equal("enabled", status.GetProperty("status").GetString());
    }

    private async Task LogOutSomeoneAsync()
    {
        var (_, tokens) = await _client.NewUserAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await _client.SendAsync(HttpMethod.Post, "/auth/logout", tokens.AccessToken)).StatusCode);
    }

    private async Task<SsfDelivery> RowAsync(Guid streamId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IdentityDb>().SsfDeliveries.AsNoTracking().SingleAsync(d => d.StreamId == streamId);
    }
}
