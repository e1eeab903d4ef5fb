using Platform.Identity.Tests.OAuth;

namespace Platform.Identity.Tests.SharedSignals;

/// <summary>
/// The SSF configuration and stream management: a service client with <c>ssf:manage</c> and a token for Identity creates,
/// reads, changes and deletes its own streams and no one else's; bad requests get 400 problems, never a 500.
/// </summary>
public sealed class StreamManagementTests(SharedSignalsApp app) : IClassFixture<SharedSignalsApp>
{
    private const string SessionRevoked = "https://schemas.openid.net/secevent/caep/event-type/session-revoked";
    private const string AccountDisabled = "https://schemas.openid.net/secevent/risc/event-type/account-disabled";
    private readonly HttpClient _client = app.CreateClient();

    [Fact]
    public async Task The_configuration_names_the_issuer_keys_delivery_methods_and_endpoints()
    {
        var configuration = await _client.GetFromJsonAsync<JsonElement>("/.well-known/ssf-configuration");

        Assert.Equal("1_0", configuration.GetProperty("spec_version").GetString());
        Assert.Equal(IdentityApp.Issuer, configuration.GetProperty("issuer").GetString());
        Assert.Equal(IdentityApp.Issuer + "/.well-known/jwks.json", configuration.GetProperty("jwks_uri").GetString());
        Assert.Equal(["urn:ietf:rfc:8935", "urn:ietf:rfc:8936"], configuration.GetProperty("delivery_methods_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(IdentityApp.Issuer + "/ssf/streams", configuration.GetProperty("configuration_endpoint").GetString());
        Assert.Equal(IdentityApp.Issuer + "/ssf/status", configuration.GetProperty("status_endpoint").GetString());
        Assert.Equal(IdentityApp.Issuer + "/ssf/verify", configuration.GetProperty("verification_endpoint").GetString());
        Assert.Equal("urn:ietf:rfc:6749", configuration.GetProperty("authorization_schemes")[0].GetProperty("spec_urn").GetString());
        Assert.Equal("ALL", configuration.GetProperty("default_subjects").GetString());
    }

    [Fact]
    public async Task A_client_manages_its_own_streams_and_cannot_see_or_touch_another_clients()
    {
        var (owner, token) = await ClientTokens.NewClientAsync(_client);
        var (_, other) = await ClientTokens.NewClientAsync(_client);
        var unknown = "https://example.test/unknown-event";

        var created = await _client.SendAsync(HttpMethod.Post, "/ssf/streams", token, new
        {
            delivery = new { method = "urn:ietf:rfc:8935", endpoint_url = "https://receiver.example.test/events" },
            events_requested = new[] { SessionRevoked, unknown },
            description = "orders in another language",
        });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var stream = await created.JsonAsync();
        var id = stream.GetProperty("stream_id").GetString();
        Assert.Equal(IdentityApp.Issuer, stream.GetProperty("iss").GetString());
        Assert.Equal(owner.ToString(), stream.GetProperty("aud").GetString());
        Assert.Equal([SessionRevoked, unknown], stream.GetProperty("events_requested").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([SessionRevoked], stream.GetProperty("events_delivered").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("https://receiver.example.test/events", stream.GetProperty("delivery").GetProperty("endpoint_url").GetString());

        Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(HttpMethod.Get, $"/ssf/streams?stream_id={id}", token)).StatusCode);
        Assert.Equal(id, (await (await _client.SendAsync(HttpMethod.Get, "/ssf/streams", token)).JsonAsync())[0].GetProperty("stream_id").GetString());
        Assert.Equal(0, (await (await _client.SendAsync(HttpMethod.Get, "/ssf/streams", other)).JsonAsync()).GetArrayLength());
        await (await _client.SendAsync(HttpMethod.Get, $"/ssf/streams?stream_id={id}", other)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await _client.SendAsync(HttpMethod.Patch, "/ssf/streams", other, new { stream_id = id, events_requested = Array.Empty<string>() })).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await _client.SendAsync(HttpMethod.Delete, $"/ssf/streams?stream_id={id}", other)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await _client.SendAsync(HttpMethod.Get, $"/ssf/status?stream_id={id}", other)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await _client.SendAsync(HttpMethod.Post, "/ssf/verify", other, new { stream_id = id })).AssertProblemAsync(HttpStatusCode.NotFound);

        var patched = await (await _client.SendAsync(HttpMethod.Patch, "/ssf/streams", token, new { stream_id = id, events_requested = new[] { AccountDisabled } })).JsonAsync();
        Assert.Equal([AccountDisabled], patched.GetProperty("events_delivered").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("https://receiver.example.test/events", patched.GetProperty("delivery").GetProperty("endpoint_url").GetString());
        var replaced = await (await _client.SendAsync(HttpMethod.Put, "/ssf/streams", token, new
        {
            stream_id = id,
            delivery = new { method = "urn:ietf:rfc:8936" },
        })).JsonAsync();
        Assert.Equal(IdentityApp.Issuer + "/ssf/poll/" + id, replaced.GetProperty("delivery").GetProperty("endpoint_url").GetString());
        Assert.Equal(0, replaced.GetProperty("events_delivered").GetArrayLength());
        var status = await (await _client.SendAsync(HttpMethod.Get, $"/ssf/status?stream_id={id}", token)).JsonAsync();
        Assert.Equal("enabled", status.GetProperty("status").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await _client.SendAsync(HttpMethod.Delete, $"/ssf/streams?stream_id={id}", token)).StatusCode);
        await (await _client.SendAsync(HttpMethod.Get, $"/ssf/streams?stream_id={id}", token)).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    public static TheoryData<string, string> BadRequests() => new()
    {
        { "no delivery", """{"events_requested":[]}""" },
        { "unknown method", """{"delivery":{"method":"urn:example:carrier-pigeon","endpoint_url":"https://r.example.test/"}}""" },
        { "relative endpoint", """{"delivery":{"method":"urn:ietf:rfc:8935","endpoint_url":"/events"}}""" },
        { "ftp endpoint", """{"delivery":{"method":"urn:ietf:rfc:8935","endpoint_url":"ftp://r.example.test/events"}}""" },
        { "no endpoint", """{"delivery":{"method":"urn:ietf:rfc:8935"}}""" },
        { "credentials in endpoint", """{"delivery":{"method":"urn:ietf:rfc:8935","endpoint_url":"https://u:p@r.example.test/"}}""" },
        { "authorization header", """{"delivery":{"method":"urn:ietf:rfc:8935","endpoint_url":"https://r.example.test/","authorization_header":"Bearer x"}}""" },
        { "empty event type", """{"delivery":{"method":"urn:ietf:rfc:8936"},"events_requested":[""]}""" },
        { "event types not a list", """{"delivery":{"method":"urn:ietf:rfc:8936"},"events_requested":"all"}""" },
        { "not JSON", """{"delivery":""" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task A_bad_stream_request_gets_a_400_problem(string what, string body)
    {
        var (_, token) = await ClientTokens.NewClientAsync(_client);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/ssf/streams") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);

        var response = await _client.SendAsync(request);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{what}: {response.StatusCode}");
        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Only_a_client_token_for_identity_with_ssf_manage_manages_streams_and_client_tokens_open_nothing_else()
    {
        var (_, user) = await _client.NewUserAsync();
        var admin = (await _client.LoginAdminAsync()).AccessToken;
        var (_, manager) = await ClientTokens.NewClientAsync(_client);
        var reader = await _client.RegisterClientAsync(scopes: ["orders:read"], audiences: [IdentityClient.IdentityResource], adminToken: admin);
        var elsewhere = await _client.RegisterClientAsync(scopes: [ClientTokens.ManageScope], audiences: ["orders"], adminToken: admin);

        Assert.Equal(HttpStatusCode.Unauthorized, (await _client.SendAsync(HttpMethod.Get, "/ssf/streams", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _client.SendAsync(HttpMethod.Get, "/ssf/streams", user.AccessToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _client.SendAsync(HttpMethod.Get, "/ssf/streams", admin)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _client.SendAsync(HttpMethod.Get, "/ssf/streams", await _client.ClientTokenAsync(reader))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _client.SendAsync(HttpMethod.Get, "/ssf/streams", await _client.ClientTokenAsync(elsewhere))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(HttpMethod.Get, "/ssf/streams", manager)).StatusCode);
        // A token without a session opens only the routes meant for clients.
        Assert.Equal(HttpStatusCode.Forbidden, (await _client.SendAsync(HttpMethod.Get, "/users/me", manager)).StatusCode);
    }
}
