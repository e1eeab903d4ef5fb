using Microsoft.AspNetCore.Http;

namespace Platform.Identity.Tests.SharedSignals;

/// <summary>Identity whose pushes may take long: a receiver that never answers holds its requests for the whole test.</summary>
public sealed class SlowReceiverApp : SharedSignalsApp
{
    protected override string RequestTimeout => "00:01:00";
}

/// <summary>A receiver that does not answer holds up only its own stream, and no more of its SETs than the per-stream bound.</summary>
public sealed class SlowReceiverTests(SlowReceiverApp app) : IClassFixture<SlowReceiverApp>
{
    private const int MaxConcurrencyPerStream = 4;
    private readonly HttpClient _client = app.CreateClient();

    [Fact]
    public async Task A_receiver_that_never_answers_does_not_delay_a_healthy_one()
    {
        var (hangingId, hangingToken) = await ClientTokens.NewClientAsync(_client);
        var (healthyId, healthyToken) = await ClientTokens.NewClientAsync(_client);
        await using var hanging = await TestReceiver.StartAsync(_client, hangingId.ToString(), app.Time.GetUtcNow);
        await using var healthy = await TestReceiver.StartAsync(_client, healthyId.ToString(), app.Time.GetUtcNow);
        var release = new TaskCompletionSource<IResult?>(TaskCreationOptions.RunContinuationsAsynchronously);
        hanging.Before = _ => release.Task;
        await _client.CreatePushAsync(hangingToken, hanging.EventsUrl, Streams.SessionRevoked);
        await _client.CreatePushAsync(healthyToken, healthy.EventsUrl, Streams.SessionRevoked);

        try
        {
            const int logouts = 12;
            for (var i = 0; i < logouts; i++)
            {
                var (_, tokens) = await _client.NewUserAsync();
                await _client.SendAsync(HttpMethod.Post, "/auth/logout", tokens.AccessToken);
            }

            // Each of the hanging receiver's requests lasts a minute: a healthy stream waiting behind them would not be served in time.
            await Eventually.HoldsAsync(() => Task.FromResult(healthy.Accepted.Count == logouts), () => $"all {logouts} SETs at the healthy receiver (has {healthy.Accepted.Count})");
            await Eventually.HoldsAsync(() => hanging.Requests > 0, "the hanging receiver holding a push");
            Assert.InRange(hanging.Requests, 1, MaxConcurrencyPerStream);
            Assert.Empty(hanging.Accepted);
        }
        finally
        {
            release.SetResult(Results.StatusCode(503));
        }
    }
}
