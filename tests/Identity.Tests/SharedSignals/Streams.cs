namespace Platform.Identity.Tests.SharedSignals;

/// <summary>What tests do with streams, in a call each.</summary>
public static class Streams
{
    public const string SessionRevoked = "https://schemas.openid.net/secevent/caep/event-type/session-revoked";
    public const string CredentialChange = "https://schemas.openid.net/secevent/caep/event-type/credential-change";
    public const string TokenClaimsChange = "https://schemas.openid.net/secevent/caep/event-type/token-claims-change";
    public const string AccountDisabled = "https://schemas.openid.net/secevent/risc/event-type/account-disabled";
    public const string AccountEnabled = "https://schemas.openid.net/secevent/risc/event-type/account-enabled";
    public const string Verification = "https://schemas.openid.net/secevent/ssf/event-type/verification";

    public static readonly string[] All = [SessionRevoked, CredentialChange, TokenClaimsChange, AccountDisabled, AccountEnabled];

    /// <summary>A push stream to <paramref name="endpoint"/>; returns its id.</summary>
    public static async Task<string> CreatePushAsync(this HttpClient client, string token, string endpoint, params string[] events)
    {
        var response = await client.SendAsync(HttpMethod.Post, "/ssf/streams", token, new
        {
            delivery = new { method = "urn:ietf:rfc:8935", endpoint_url = endpoint },
            events_requested = events.Length == 0 ? All : events,
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("stream_id").GetString()!;
    }

    /// <summary>A poll stream; returns its id and the URL to poll.</summary>
    public static async Task<(string Id, string PollUrl)> CreatePollAsync(this HttpClient client, string token, params string[] events)
    {
        var response = await client.SendAsync(HttpMethod.Post, "/ssf/streams", token, new
        {
            delivery = new { method = "urn:ietf:rfc:8936" },
            events_requested = events.Length == 0 ? All : events,
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var stream = await response.JsonAsync();
        return (stream.GetProperty("stream_id").GetString()!, stream.GetProperty("delivery").GetProperty("endpoint_url").GetString()!);
    }

    public static async Task<JsonElement> StatusAsync(this HttpClient client, string token, string streamId)
    {
        var response = await client.SendAsync(HttpMethod.Get, $"/ssf/status?stream_id={streamId}", token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }
}
