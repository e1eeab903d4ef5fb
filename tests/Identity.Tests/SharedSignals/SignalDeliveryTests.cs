using Microsoft.IdentityModel.JsonWebTokens;
using Platform.TokenRules;

namespace Platform.Identity.Tests.SharedSignals;

/// <summary>
/// Each change Identity announces reaches a receiver outside the platform's library as a SET it can verify against the
/// JWKS, shaped as CAEP, RISC and SSF name it, and the receiver refuses the revoked session's or user's tokens.
/// </summary>
public sealed class SignalDeliveryTests(SharedSignalsApp app) : IClassFixture<SharedSignalsApp>
{
    private readonly HttpClient _client = app.CreateClient();

    [Fact]
    public async Task Each_change_arrives_as_a_verifiable_SET_and_the_receiver_refuses_what_was_revoked()
    {
        var (clientId, token) = await ClientTokens.NewClientAsync(_client);
        await using var receiver = await TestReceiver.StartAsync(_client, clientId.ToString(), app.Time.GetUtcNow);
        await _client.CreatePushAsync(token, receiver.EventsUrl);
        using var ping = new HttpClient { BaseAddress = new Uri(receiver.Url) };
        var admin = (await _client.LoginAdminAsync()).AccessToken;
        var email = IdentityClient.NewEmail();
        var user = await _client.SignUpAsync(email);
        var kept = await _client.LoginAsync(email);
        var ended = await _client.LoginAsync(email);
        Assert.Equal(HttpStatusCode.OK, await PingAsync(ping, ended.AccessToken));

        Assert.Equal(HttpStatusCode.NoContent, (await _client.SendAsync(HttpMethod.Post, "/auth/logout", ended.AccessToken)).StatusCode);
        var revoked = await Eventually.FoundAsync(() => receiver.Find(Streams.SessionRevoked, s => s.SessionId == SessionOf(ended)), "session-revoked for the logged-out session");
        AssertShape(revoked, clientId, receiver);
        Assert.Equal("complex", revoked.SubId["format"]!.GetValue<string>());
        Assert.Equal(user.Id, revoked.UserId);
        Assert.Equal("user", revoked.Event["initiating_entity"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Unauthorized, await PingAsync(ping, ended.AccessToken));
        Assert.Equal(HttpStatusCode.OK, await PingAsync(ping, kept.AccessToken));

        var changed = await _client.SendAsync(HttpMethod.Post, "/auth/password/change", kept.AccessToken, new { currentPassword = IdentityClient.Password, newPassword = "another long passphrase 8" });
        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        var credential = await Eventually.FoundAsync(() => receiver.Find(Streams.CredentialChange, s => s.UserId == user.Id), "credential-change");
        AssertShape(credential, clientId, receiver);
        Assert.Equal(new JsonObjectShape("opaque", user.Id.ToString()), JsonObjectShape.Of(credential.SubId));
        Assert.Equal("password", credential.Event["credential_type"]!.GetValue<string>());
        Assert.Equal("update", credential.Event["change_type"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.NoContent, (await _client.SendAsync(HttpMethod.Put, $"/admin/users/{user.Id}/roles", admin, new { roles = new[] { "admin" } })).StatusCode);
        var claims = await Eventually.FoundAsync(() => receiver.Find(Streams.TokenClaimsChange, s => s.UserId == user.Id), "token-claims-change");
        AssertShape(claims, clientId, receiver);
        Assert.Equal(["admin"], claims.Event["claims"]!["role"]!.AsArray().Select(r => r!.GetValue<string>()));

        Assert.Equal(HttpStatusCode.NoContent, (await _client.SendAsync(HttpMethod.Post, $"/admin/users/{user.Id}/deactivate", admin)).StatusCode);
        var disabled = await Eventually.FoundAsync(() => receiver.Find(Streams.AccountDisabled, s => s.UserId == user.Id), "account-disabled");
        AssertShape(disabled, clientId, receiver);
        Assert.Equal(new JsonObjectShape("opaque", user.Id.ToString()), JsonObjectShape.Of(disabled.SubId));
        await Eventually.FoundAsync(() => receiver.Find(Streams.SessionRevoked, s => s.SessionId == SessionOf(kept)), "session-revoked for the deactivated user's session");
        Assert.Equal(HttpStatusCode.Unauthorized, await PingAsync(ping, kept.AccessToken));

        Assert.Equal(HttpStatusCode.NoContent, (await _client.SendAsync(HttpMethod.Post, $"/admin/users/{user.Id}/reactivate", admin)).StatusCode);
        var enabled = await Eventually.FoundAsync(() => receiver.Find(Streams.AccountEnabled, s => s.UserId == user.Id), "account-enabled");
        AssertShape(enabled, clientId, receiver);
        Assert.False(receiver.IsUserDisabled(user.Id));
        Assert.Equal(0, receiver.Duplicates);
        foreach (var set in receiver.Accepted)
            Assert.True(app.Capture.CountContaining(set.Raw[(set.Raw.LastIndexOf('.') + 1)..]) == 0, "a SET's signature found in the captured logs");
    }

    [Fact]
    public async Task A_password_reset_arrives_as_a_credential_change_with_the_end_of_every_session()
    {
        var (clientId, token) = await ClientTokens.NewClientAsync(_client);
        await using var receiver = await TestReceiver.StartAsync(_client, clientId.ToString(), app.Time.GetUtcNow);
        await _client.CreatePushAsync(token, receiver.EventsUrl, Streams.CredentialChange, Streams.SessionRevoked);
        var email = IdentityClient.NewEmail();
        var user = await _client.SignUpAsync(email);
        var session = await _client.LoginAsync(email);

        Assert.Equal(HttpStatusCode.Accepted, (await _client.PostAsJsonAsync("/auth/password/forgot", new { email })).StatusCode);
        var code = await MailCatcher.Shared().WaitForResetTokenAsync(email);
        var reset = await _client.PostAsJsonAsync("/auth/password/reset", new { email, token = code, newPassword = "a reset long passphrase 9" });

        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        var credential = await Eventually.FoundAsync(() => receiver.Find(Streams.CredentialChange, s => s.UserId == user.Id), "credential-change for the reset");
        Assert.Equal("password", credential.Event["credential_type"]!.GetValue<string>());
        await Eventually.FoundAsync(() => receiver.Find(Streams.SessionRevoked, s => s.SessionId == SessionOf(session)), "session-revoked for the reset");
    }

    [Fact]
    public async Task The_verification_event_echoes_the_receivers_state_with_the_stream_as_subject()
    {
        var (clientId, token) = await ClientTokens.NewClientAsync(_client);
        await using var receiver = await TestReceiver.StartAsync(_client, clientId.ToString(), app.Time.GetUtcNow);
        var streamId = await _client.CreatePushAsync(token, receiver.EventsUrl, Streams.SessionRevoked);

        Assert.Equal(HttpStatusCode.NoContent, (await _client.SendAsync(HttpMethod.Post, "/ssf/verify", token, new { stream_id = streamId, state = "VGhpcyBpcyBhbiBleGFtcGxl" })).StatusCode);

        var verification = await Eventually.FoundAsync(() => receiver.Find(Streams.Verification), "the verification event");
        AssertShape(verification, clientId, receiver);
        Assert.Equal("VGhpcyBpcyBhbiBleGFtcGxl", verification.Event["state"]!.GetValue<string>());
        Assert.Equal(new JsonObjectShape("opaque", streamId), JsonObjectShape.Of(verification.SubId));
    }

    [Fact]
    public async Task A_stream_gets_rows_only_for_the_event_types_it_requested()
    {
        var (_, token) = await ClientTokens.NewClientAsync(_client);
        var streamId = Guid.Parse((await _client.CreatePollAsync(token, Streams.SessionRevoked)).Id);
        // Another receiver takes every type, so account-disabled rows are written, only not for this stream.
        await _client.CreatePollAsync((await ClientTokens.NewClientAsync(_client)).Token);
        var admin = (await _client.LoginAdminAsync()).AccessToken;
        var (user, _) = await _client.NewUserAsync();

        Assert.Equal(HttpStatusCode.NoContent, (await _client.SendAsync(HttpMethod.Post, $"/admin/users/{user.Id}/deactivate", admin)).StatusCode);

        await using var scope = app.Services.CreateAsyncScope();
        var types = await scope.ServiceProvider.GetRequiredService<IdentityDb>().SsfDeliveries
            .Where(d => d.StreamId == streamId).Select(d => d.EventType).ToListAsync();
        Assert.Equal([Streams.SessionRevoked], types);
    }

    [Fact]
    public async Task A_SET_is_never_accepted_as_an_access_token()
    {
        var (clientId, token) = await ClientTokens.NewClientAsync(_client);
        await using var receiver = await TestReceiver.StartAsync(_client, clientId.ToString(), app.Time.GetUtcNow);
        var streamId = await _client.CreatePushAsync(token, receiver.EventsUrl);
        await _client.SendAsync(HttpMethod.Post, "/ssf/verify", token, new { stream_id = streamId });
        var set = (await Eventually.FoundAsync(() => receiver.Find(Streams.Verification), "a SET")).Raw;

        Assert.Equal(HttpStatusCode.Unauthorized, (await _client.SendAsync(HttpMethod.Get, "/ssf/streams", set)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _client.SendAsync(HttpMethod.Get, "/users/me", set)).StatusCode);
        // A SET has no exp, which alone fails the rules; with lifetime and audience waived, its typ still fails them.
        var parameters = AccessTokenRules.Parameters(IdentityApp.Issuer, [clientId.ToString()], AccessTokenRules.MaxClockSkew, app.Time);
        parameters.IssuerSigningKeys = receiver.Keys;
        parameters.ValidateLifetime = false;
        parameters.RequireExpirationTime = false;
        parameters.LifetimeValidator = null;
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(set, parameters);
        Assert.False(result.IsValid);
        Assert.IsType<SecurityTokenInvalidTypeException>(result.Exception);
    }

    /// <summary>SSF 1.0 §4 and RFC 8417: typ, a key from the JWKS, iss, aud, jti, iat, sub_id; no exp and no sub.</summary>
    private static void AssertShape(ReceivedSet set, Guid clientId, TestReceiver receiver)
    {
        Assert.Equal("secevent+jwt", set.Token.Typ);
        Assert.Equal("RS256", set.Token.Alg);
        Assert.Contains(receiver.Keys, k => k.KeyId == set.Token.Kid);
        Assert.Equal(IdentityApp.Issuer, set.Token.Issuer);
        Assert.Equal([clientId.ToString()], set.Token.Audiences);
        Assert.True(Guid.TryParse(set.Token.Id, out _));
        Assert.True(set.Token.TryGetPayloadValue<long>("iat", out _));
        Assert.False(set.Token.TryGetPayloadValue<object>("exp", out _));
        Assert.False(set.Token.TryGetPayloadValue<object>("sub", out _));
        if (set.EventType != Streams.Verification)
            Assert.True(set.Event["event_timestamp"]!.GetValue<long>() > 0);
    }

    private static Guid SessionOf(Infrastructure.Tokens tokens) => Guid.Parse(Jwks.Read(tokens.AccessToken).GetClaim("sid").Value);

    private static async Task<HttpStatusCode> PingAsync(HttpClient receiver, string accessToken) =>
        (await receiver.SendAsync(HttpMethod.Get, "/ping", accessToken)).StatusCode;
}

/// <summary>An RFC 9493 simple subject, comparable.</summary>
public sealed record JsonObjectShape(string? Format, string? Id)
{
    public static JsonObjectShape Of(System.Text.Json.Nodes.JsonObject subject) =>
        new(subject["format"]?.GetValue<string>(), subject["id"]?.GetValue<string>());
}
