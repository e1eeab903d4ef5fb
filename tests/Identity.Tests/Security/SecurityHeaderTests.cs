using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Platform.Identity.Tests.Security;

/// <summary>The headers every Identity response carries (OWASP ASVS 5 §3.4), and the caching JWKS chooses for itself.</summary>
public sealed class SecurityHeaderTests(IdentityApp app) : IClassFixture<IdentityApp>
{
    private readonly HttpClient _client = app.CreateClient();

    [Fact]
    public async Task Profile_of_an_authenticated_user_is_nosniff_and_no_store()
    {
        var (_, tokens) = await _client.NewUserAsync();

        using var response = await _client.SendAsync(HttpMethod.Get, "/users/me", tokens.AccessToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertNoSniffNoStore(response);
    }

    [Theory]
    [InlineData("/users/me", "not-a-token")]
    [InlineData("/users/me", null)]
    [InlineData("/nothing-here", null)]
    [InlineData("/.well-known/openid-configuration", null)]
    [InlineData("/health/live", null)]
    public async Task Rejections_not_found_and_other_answers_are_nosniff_and_no_store(string path, string? token)
    {
        using var response = await _client.SendAsync(HttpMethod.Get, path, token);

        AssertNoSniffNoStore(response);
    }

    [Fact]
    public async Task Validation_problem_is_nosniff_and_no_store()
    {
        using var response = await _client.PostAsJsonAsync("/users", new { email = "", password = "" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        AssertNoSniffNoStore(response);
    }

    [Fact]
    public async Task Jwks_keeps_its_public_max_age_and_is_nosniff()
    {
        using var response = await _client.GetAsync("/.well-known/jwks.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.True(response.Headers.CacheControl?.Public, "Cache-Control: " + response.Headers.CacheControl);
        Assert.Equal(TimeSpan.FromMinutes(5), response.Headers.CacheControl?.MaxAge);
        Assert.False(response.Headers.CacheControl?.NoStore);
    }

    [Fact]
    public async Task Token_response_stays_no_store_and_is_nosniff()
    {
        var email = IdentityClient.NewEmail();
        await _client.SignUpAsync(email);

        using var response = await _client.PostAsJsonAsync("/auth/login", new { email, password = IdentityClient.Password });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertNoSniffNoStore(response);
    }

    [Fact]
    public void Kestrel_does_not_announce_itself_in_a_server_header()
    {
        // The in-memory test server never writes Server; the real process is checked by the end-to-end attack suite.
        Assert.False(app.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.AddServerHeader);
    }

    private static void AssertNoSniffNoStore(HttpResponseMessage response)
    {
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.True(response.Headers.CacheControl?.NoStore, $"{(int)response.StatusCode} Cache-Control: {response.Headers.CacheControl}");
    }
}
