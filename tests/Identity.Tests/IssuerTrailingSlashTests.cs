using System.Net.Http.Headers;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Platform.ResourceServer;
using Platform.ServiceDefaults.Health;

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
        await using var database = await TestDatabase.CreateAsync("issuer_slash_api");
        await using var api = await StartResourceServerAsync(database.ConnectionString);
        using var client = api.GetTestClient();
        await Eventually.HoldsAsync(async () => (await client.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK,
            "the resource server to load keys and revocations from Identity", TimeSpan.FromSeconds(30));
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);

        using var response = await client.GetAsync("/resource");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>The smallest API on the library, configured with the same slash-ended URL the operator gave Identity.</summary>
    private async Task<WebApplication> StartResourceServerAsync(string connectionString)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Configuration["ConnectionStrings:Api"] = connectionString;
        builder.Configuration["ConnectionStrings:RabbitMq"] = app.VirtualHost.AmqpUri.ToString();
        builder.Configuration["Api:Authority"] = IdentityApp.Issuer + "/";
        builder.Configuration["Api:Audience"] = "orders";
        builder.Configuration["Api:RequireHttpsMetadata"] = "false";
        builder.AddPlatformResourceServer(configSection: "Api", connectionStringName: "Api");
        // Discovery and keys come from the Identity under test, in memory, whatever host name the URLs say.
        builder.Services.Configure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme,
            bearer => bearer.BackchannelHttpHandler = app.Server.CreateHandler());

        var api = builder.Build();
        api.UseAuthentication();
        api.UseAuthorization();
        api.MapPlatformHealthEndpoints();
        api.MapGet("/resource", () => Results.Ok()).RequireAuthorization();
        await api.StartAsync(TestTimeout.Token(60));
        return api;
    }
}
