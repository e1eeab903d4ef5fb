using Microsoft.Extensions.Options;

namespace Platform.Identity.Tests;

/// <summary>
/// Tokens are minted for one resource (RFC 8707): the operator API takes only tokens asked for Identity's own audience,
/// so an operator's token sent to another API is no operator credential at Identity.
/// </summary>
public sealed class AudienceTests(IdentityApp app) : IClassFixture<IdentityApp>
{
    private readonly HttpClient _client = app.CreateClient();

    [Fact]
    public async Task An_operator_token_for_the_default_audience_is_forbidden_at_the_operator_api_and_one_for_identity_is_accepted()
    {
        var ordinary = await _client.LoginAsync(IdentityApp.AdminEmail, IdentityApp.AdminPassword);
        var own = await _client.LoginAsync(IdentityApp.AdminEmail, IdentityApp.AdminPassword, IdentityClient.IdentityResource);

        using var refused = await _client.SendAsync(HttpMethod.Get, "/admin/users", ordinary.AccessToken);
        using var rotateRefused = await _client.SendAsync(HttpMethod.Get, "/admin/keys", ordinary.AccessToken);
        using var accepted = await _client.SendAsync(HttpMethod.Get, "/admin/users", own.AccessToken);

        await refused.AssertProblemAsync(HttpStatusCode.Forbidden);
        await rotateRefused.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    [Fact]
    public async Task A_login_or_refresh_without_resource_never_carries_identity_and_one_with_it_carries_only_identity()
    {
        var plain = await _client.LoginAsync(IdentityApp.AdminEmail, IdentityApp.AdminPassword);
        var own = await _client.LoginAsync(IdentityApp.AdminEmail, IdentityApp.AdminPassword, IdentityClient.IdentityResource);
        var ownRefreshedPlain = await RefreshAsync(own.RefreshToken, resource: null);
        var plainRefreshedOwn = await RefreshAsync(plain.RefreshToken, IdentityClient.IdentityResource);

        Assert.Equal(["orders"], Audiences(plain.AccessToken));
        Assert.Equal(["identity"], Audiences(own.AccessToken));
        Assert.Equal(["orders"], Audiences(ownRefreshedPlain.AccessToken));
        Assert.Equal(["identity"], Audiences(plainRefreshedOwn.AccessToken));
    }

    [Fact]
    public async Task Self_service_routes_accept_either_audience()
    {
        var email = IdentityClient.NewEmail();
        await _client.SignUpAsync(email);
        var plain = await _client.LoginAsync(email);
        var own = await _client.LoginAsync(email, resource: IdentityClient.IdentityResource);

        Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(HttpMethod.Get, "/users/me", plain.AccessToken)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(HttpMethod.Get, "/users/me", own.AccessToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _client.SendAsync(HttpMethod.Get, "/admin/users", own.AccessToken)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _client.SendAsync(HttpMethod.Post, "/auth/logout", plain.AccessToken)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _client.SendAsync(HttpMethod.Post, "/auth/logout", own.AccessToken)).StatusCode);

        // A password change ends the other sessions, so each audience changes it from a session of its own.
        const string newPassword = "another long enough passphrase 8";
        var ownAgain = await _client.LoginAsync(email, resource: IdentityClient.IdentityResource);
        Assert.Equal(HttpStatusCode.NoContent, (await _client.SendAsync(HttpMethod.Post, "/auth/password/change", ownAgain.AccessToken,
            new { currentPassword = IdentityClient.Password, newPassword })).StatusCode);
        var plainAgain = await _client.LoginAsync(email, newPassword);
        Assert.Equal(HttpStatusCode.NoContent, (await _client.SendAsync(HttpMethod.Post, "/auth/password/change", plainAgain.AccessToken,
            new { currentPassword = newPassword, newPassword = IdentityClient.Password })).StatusCode);
    }

    [Theory]
    [InlineData("billing")]
    [InlineData("Identity")]
    [InlineData("")]
    [InlineData("https://identity.test/")]
    public async Task An_unknown_resource_is_refused_with_400_naming_the_field_before_any_credential_is_checked(string resource)
    {
        var email = IdentityClient.NewEmail();
        await _client.SignUpAsync(email);
        var tokens = await _client.LoginAsync(email);

        using var login = await _client.PostAsJsonAsync("/auth/login", new { email, password = IdentityClient.Password, resource });
        using var refresh = await _client.PostAsJsonAsync("/auth/refresh", new { refreshToken = tokens.RefreshToken, resource });

        var problem = await login.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("resource", out _));
        Assert.True((await refresh.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("resource", out _));
        // Refused before the refresh token was looked at: it still works once.
        Assert.Equal(["orders"], Audiences((await RefreshAsync(tokens.RefreshToken, resource: "orders")).AccessToken));
    }

    [Fact]
    public async Task Identity_refuses_to_start_when_its_own_audience_is_one_of_the_default_audiences()
    {
        var misconfigured = new OwnAudienceAmongDefaultsApp();
        try
        {
            var failure = await Assert.ThrowsAnyAsync<Exception>(misconfigured.InitializeAsync);
            Assert.IsType<OptionsValidationException>(failure.GetBaseException());
            Assert.Contains("Identity:OwnAudience", failure.GetBaseException().Message, StringComparison.Ordinal);
        }
        finally
        {
            await ((IAsyncLifetime)misconfigured).DisposeAsync();
        }
    }

    private async Task<Infrastructure.Tokens> RefreshAsync(string refreshToken, string? resource)
    {
        using var response = await _client.PostAsJsonAsync("/auth/refresh", new { refreshToken, resource });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<Infrastructure.Tokens>())!;
    }

    private static string[] Audiences(string accessToken) =>
        JsonDocument.Parse(Base64UrlEncoder.Decode(Jwks.Read(accessToken).EncodedPayload)).RootElement
            .GetProperty("aud").EnumerateArray().Select(a => a.GetString()!).ToArray();

    private sealed class OwnAudienceAmongDefaultsApp : IdentityApp
    {
        protected override void Configure(IWebHostBuilder builder)
        {
            builder.UseSetting("Identity:Audiences:0", "orders");
            builder.UseSetting("Identity:Audiences:1", "identity");
        }
    }
}
