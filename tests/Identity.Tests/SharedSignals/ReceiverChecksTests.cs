using System.Net.Http.Headers;
using Microsoft.IdentityModel.JsonWebTokens;
using Platform.Identity.SharedSignals;

namespace Platform.Identity.Tests.SharedSignals;

/// <summary>
/// What a receiver can tell from a SET alone: a replayed one by its jti, a forged one by its signature against the
/// JWKS, an old one by its iat, one for someone else by its aud.
/// </summary>
public sealed class ReceiverChecksTests(SharedSignalsApp app) : IClassFixture<SharedSignalsApp>
{
    private readonly HttpClient _client = app.CreateClient();
    private TimeSpan _receiverClockAhead;

    [Fact]
    public async Task A_replayed_SET_is_recognised_by_its_jti_and_applied_once()
    {
        var (clientId, token) = await ClientTokens.NewClientAsync(_client);
        await using var receiver = await StartReceiverAsync(clientId);
        var streamId = await _client.CreatePushAsync(token, receiver.EventsUrl);
        await _client.SendAsync(HttpMethod.Post, "/ssf/verify", token, new { stream_id = streamId });
        var set = await Eventually.FoundAsync(() => receiver.Find(Streams.Verification), "the verification SET");

        var replayed = await PushAsync(receiver, set.Raw);

        Assert.Equal(HttpStatusCode.Accepted, replayed.StatusCode);
        Assert.Equal(1, receiver.Duplicates);
        Assert.Single(receiver.Accepted);
    }

    [Fact]
    public async Task A_SET_signed_with_another_key_old_or_for_another_receiver_is_refused()
    {
        var clientId = Guid.NewGuid();
        await using var receiver = await StartReceiverAsync(clientId);
        var signer = app.Services.GetRequiredService<SetSigner>();
        var row = new SsfDelivery
        {
            Id = Guid.NewGuid(),
            EventType = Streams.SessionRevoked,
            Payload = """{"sub_id":{"format":"opaque","id":"x"},"event":{"event_timestamp":1}}""",
        };
        var genuine = signer.Sign(row, clientId.ToString());
        var forged = Forge(genuine);
        var otherReceiver = signer.Sign(row, Guid.NewGuid().ToString());

        var forgedAnswer = await PushAsync(receiver, forged);
        var otherAnswer = await PushAsync(receiver, otherReceiver);
        _receiverClockAhead = TestReceiver.MaxAge + TimeSpan.FromMinutes(1);
        var oldAnswer = await PushAsync(receiver, genuine);

        Assert.Equal("invalid_key", (await ErrorAsync(forgedAnswer)));
        Assert.Equal("invalid_request", (await ErrorAsync(otherAnswer)));
        Assert.Equal("invalid_request", (await ErrorAsync(oldAnswer)));
        Assert.Empty(receiver.Accepted);
    }

    private Task<TestReceiver> StartReceiverAsync(Guid clientId) =>
        TestReceiver.StartAsync(_client, clientId.ToString(), () => app.Time.GetUtcNow() + _receiverClockAhead);

    /// <summary>The same header and claims, under the same kid, signed with a key Identity never published.</summary>
    private static string Forge(string set)
    {
        var token = new JsonWebToken(set);
        using var rsa = RSA.Create(2048);
        var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(token.EncodedPayload));
        return new JsonWebTokenHandler().CreateToken(payload, new SigningCredentials(new RsaSecurityKey(rsa) { KeyId = token.Kid }, SecurityAlgorithms.RsaSha256),
            new Dictionary<string, object> { ["typ"] = "secevent+jwt" });
    }

    private static async Task<HttpResponseMessage> PushAsync(TestReceiver receiver, string set)
    {
        using var client = new HttpClient();
        var content = new StringContent(set);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/secevent+jwt");
        return await client.PostAsync(receiver.EventsUrl, content);
    }

    private static async Task<string?> ErrorAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("err").GetString();
    }
}
