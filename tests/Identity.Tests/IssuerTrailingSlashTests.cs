using Microsoft.IdentityModel.JsonWebTokens;

namespace Platform.Identity.Tests;

/// <summary>Identity deployed with <c>Identity__Issuer=http://identity.test/</c>, a slash an operator easily adds.</summary>
public sealed class TrailingSlashIssuerApp : IdentityApp
{
    protected override void Configure(IWebHostBuilder builder) => builder.UseSetting("Identity:Issuer", Issuer + "/");
}

/// <summary>
/// The issuer is normalised once at start, so the tokens' <c>iss</c> and the discovery document's <c>issuer</c> are
/// the same text; resource servers compare them ordinally and would otherwise refuse every token Identity issues.
/// Proven with the real ResourceServer library fetching Identity's discovery document and keys over HTTP.
/// </summary>
public sealed class IssuerTrailingSlashTests(TrailingSlashIssuerApp app) : IClassFixture<TrailingSlashIssuerApp>
{
    private readonly HttpClient _client = app.CreateClient();

    [Fact]
    public async Task Tokens_and_discovery_name_the_same_issuer_without_the_slash()
    {
        var (_, tokens) = await _client.NewUserAsync();

        var discovery = await (await _client.GetAsync("/.well-known/openid-configuration")).JsonAsync();

        var issuer = new JsonWebToken(tokens.AccessToken).Issuer;
        Assert.Equal(IdentityApp.Issuer, issuer);
        Assert.Equal(issuer, discovery.GetProperty("issuer").GetString());
        Assert.StartsWith(issuer + "/.well-known/", discovery.GetProperty("jwks_uri").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_resource_server_accepts_the_tokens_it_issues()
    {
        var (_, tokens) = await _client.NewUserAsync();
        // Configured with the same slash-ended URL the operator gave Identity.
        await using var api = await ResourceServerHost.StartAsync(app, IdentityApp.Issuer + "/");

        Assert.Equal(HttpStatusCode.OK, await api.StatusWithAsync(tokens.AccessToken));
    }
}
