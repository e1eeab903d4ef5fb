namespace Platform.Identity.Tests.OAuth;

/// <summary>POST /connect/token with the client credentials grant: what a client gets, and every way it is refused.</summary>
public sealed class ClientCredentialsTests(OAuthApp app) : IClassFixture<OAuthApp>
{
    private readonly HttpClient _http = app.CreateClient();

    [Fact]
    public async Task A_client_token_names_the_client_as_sub_and_client_id_and_has_no_session_or_role()
    {
        var client = await _http.RegisterClientAsync(scopes: ["orders:read", "orders:write"], audiences: ["orders", "identity"]);

        var response = await _http.ClientCredentialsAsync(client);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var body = await response.JsonAsync();
        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
        Assert.Equal(600, body.GetProperty("expires_in").GetInt32());
        Assert.Equal("orders:read orders:write", body.GetProperty("scope").GetString());
        Assert.False(body.TryGetProperty("refresh_token", out _));
        var jwt = Jwks.Read(body.GetProperty("access_token").GetString()!);
        Assert.Equal(client.Id, jwt.Subject);
        Assert.Equal(client.Id, jwt.GetClaim("client_id").Value);
        Assert.Equal(["orders", "identity"], jwt.Audiences);
        Assert.Equal("orders:read orders:write", jwt.GetClaim("scope").Value);
        Assert.False(jwt.TryGetClaim("sid", out _));
        Assert.False(jwt.TryGetClaim("role", out _));
        Assert.Equal("at+jwt", jwt.Typ);
    }

    [Fact]
    public async Task Client_secret_post_works_like_basic_and_scope_and_resource_narrow_the_token()
    {
        var client = await _http.RegisterClientAsync(audiences: ["orders", "identity"]);

        var response = await _http.PostFormAsync("/connect/token", Form(("grant_type", "client_credentials"),
            ("client_id", client.Id), ("client_secret", client.ClientSecret), ("scope", "orders:read"), ("resource", "identity")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var jwt = Jwks.Read((await response.JsonAsync()).GetProperty("access_token").GetString()!);
        Assert.Equal(["identity"], jwt.Audiences);
        Assert.Equal("orders:read", jwt.GetClaim("scope").Value);
    }

    [Fact]
    public async Task A_wrong_secret_is_invalid_client_with_a_basic_challenge()
    {
        var client = await _http.RegisterClientAsync();

        var response = await _http.ClientCredentialsAsync(client with { ClientSecret = client.ClientSecret[..^2] + "xx" });

        await response.AssertOAuthErrorAsync(HttpStatusCode.Unauthorized, "invalid_client");
        Assert.Equal("Basic", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task A_wrong_posted_secret_and_an_unknown_client_are_invalid_client()
    {
        var client = await _http.RegisterClientAsync();

        var wrong = await _http.PostFormAsync("/connect/token", Form(("grant_type", "client_credentials"), ("client_id", client.Id), ("client_secret", "guess")));
        var unknown = await _http.PostFormAsync("/connect/token", Form(("grant_type", "client_credentials"), ("client_id", Guid.NewGuid().ToString()), ("client_secret", client.ClientSecret)));
        var none = await _http.PostFormAsync("/connect/token", Form(("grant_type", "client_credentials")));

        await wrong.AssertOAuthErrorAsync(HttpStatusCode.Unauthorized, "invalid_client");
        await unknown.AssertOAuthErrorAsync(HttpStatusCode.Unauthorized, "invalid_client");
        await none.AssertOAuthErrorAsync(HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Fact]
    public async Task A_disabled_client_and_a_rotated_away_secret_are_invalid_client()
    {
        var admin = (await _http.LoginAdminAsync()).AccessToken;
        var disabled = await _http.RegisterClientAsync(adminToken: admin);
        var rotated = await _http.RegisterClientAsync(adminToken: admin);
        Assert.Equal(HttpStatusCode.NoContent, (await _http.SendAsync(HttpMethod.Post, $"/admin/clients/{disabled.Id}/disable", admin)).StatusCode);
        var rotation = await _http.SendAsync(HttpMethod.Post, $"/admin/clients/{rotated.Id}/secret", admin);
        var newSecret = (await rotation.JsonAsync()).GetProperty("clientSecret").GetString()!;

        await (await _http.ClientCredentialsAsync(disabled)).AssertOAuthErrorAsync(HttpStatusCode.Unauthorized, "invalid_client");
        await (await _http.ClientCredentialsAsync(rotated)).AssertOAuthErrorAsync(HttpStatusCode.Unauthorized, "invalid_client");
        Assert.Equal(HttpStatusCode.OK, (await _http.ClientCredentialsAsync(rotated with { ClientSecret = newSecret })).StatusCode);
    }

    [Fact]
    public async Task Both_authentication_methods_at_once_are_refused()
    {
        var client = await _http.RegisterClientAsync();

        var response = await _http.PostFormAsync("/connect/token",
            Form(("grant_type", "client_credentials"), ("client_id", client.Id), ("client_secret", client.ClientSecret)),
            OAuthCalls.Basic(client.Id, client.ClientSecret));

        await response.AssertOAuthErrorAsync(HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Scope_escalation_is_invalid_scope_and_a_foreign_resource_is_invalid_target()
    {
        var client = await _http.RegisterClientAsync(scopes: ["orders:read"], audiences: ["orders"]);

        await (await _http.ClientCredentialsAsync(client, ("scope", "orders:read orders:write"))).AssertOAuthErrorAsync(HttpStatusCode.BadRequest, "invalid_scope");
        await (await _http.ClientCredentialsAsync(client, ("scope", "ssf:manage"))).AssertOAuthErrorAsync(HttpStatusCode.BadRequest, "invalid_scope");
        await (await _http.ClientCredentialsAsync(client, ("resource", "identity"))).AssertOAuthErrorAsync(HttpStatusCode.BadRequest, "invalid_target");
        await (await _http.ClientCredentialsAsync(client, ("resource", "https://elsewhere.example"))).AssertOAuthErrorAsync(HttpStatusCode.BadRequest, "invalid_target");
        await (await _http.ClientCredentialsAsync(client, ("resource", "orders"), ("resource", "identity"))).AssertOAuthErrorAsync(HttpStatusCode.BadRequest, "invalid_target");
    }

    [Fact]
    public async Task Unknown_or_missing_grant_types_and_repeated_parameters_get_their_rfc_errors()
    {
        var client = await _http.RegisterClientAsync();

        var password = await _http.PostFormAsync("/connect/token", Form(("grant_type", "password"), ("username", "a"), ("password", "b")));
        var missing = await _http.PostFormAsync("/connect/token", Form(("scope", "orders:read")));
        var repeated = await _http.ClientCredentialsAsync(client, ("scope", "orders:read"), ("scope", "orders:write"));

        await password.AssertOAuthErrorAsync(HttpStatusCode.BadRequest, "unsupported_grant_type");
        await missing.AssertOAuthErrorAsync(HttpStatusCode.BadRequest, "invalid_request");
        await repeated.AssertOAuthErrorAsync(HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task A_json_body_is_415_and_a_malformed_basic_header_is_invalid_client()
    {
        var json = await _http.PostAsJsonAsync("/connect/token", new { grant_type = "client_credentials" });
        var garbled = await _http.PostFormAsync("/connect/token", Form(("grant_type", "client_credentials")),
            new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", "%%%not base64"));

        await json.AssertOAuthErrorAsync(HttpStatusCode.UnsupportedMediaType, "invalid_request");
        await garbled.AssertOAuthErrorAsync(HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Fact]
    public async Task A_body_that_is_no_form_is_invalid_request_and_never_a_500()
    {
        using var content = new ByteArrayContent([0xff, 0xfe, 0x00, (byte)'%', (byte)'=', 0x80]);
        content.Headers.ContentType = new("application/x-www-form-urlencoded");

        var response = await _http.PostAsync("/connect/token", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task An_oversized_form_is_refused_before_it_is_read()
    {
        var response = await _http.PostFormAsync("/connect/token", Form(("grant_type", "client_credentials"), ("padding", new string('a', 64 * 1024))));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    internal static KeyValuePair<string, string>[] Form(params (string Name, string Value)[] fields) =>
        [.. fields.Select(f => KeyValuePair.Create(f.Name, f.Value))];
}
