using System.Net.Http.Headers;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Platform.ResourceServer;
using Platform.ResourceServer.Receipts;
using Platform.ServiceDefaults.Health;

namespace Platform.Identity.Tests.Infrastructure;

/// <summary>
/// The smallest API on the ResourceServer library, trusting the Identity under test: discovery and keys over HTTP
/// (in memory), revocations from Identity's broker, its own database. <c>GET /resource</c> needs a valid token.
/// </summary>
public sealed class ResourceServerHost : IAsyncDisposable
{
    private readonly WebApplication _api;
    private readonly TestDatabase _database;

    private ResourceServerHost(WebApplication api, TestDatabase database)
    {
        _api = api;
        _database = database;
        Client = api.GetTestClient();
    }

    public HttpClient Client { get; }

    /// <summary>The id this instance gives itself in its heartbeats and delivery receipts.</summary>
    public string InstanceId => _api.Services.GetRequiredService<ResourceServerInstance>().Id;

    /// <param name="broker">The RabbitMq connection string, when Identity's broker is not its test virtual host (a cluster).</param>
    /// <param name="settings">Settings of the API's section ("Api:HeartbeatInterval", ...) on top of the defaults.</param>
    public static async Task<ResourceServerHost> StartAsync(
        IdentityApp identity, string authority = IdentityApp.Issuer, string? broker = null, IReadOnlyDictionary<string, string>? settings = null)
    {
        var database = await TestDatabase.CreateAsync("identity_api");
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Configuration["ConnectionStrings:Api"] = database.ConnectionString;
        builder.Configuration["ConnectionStrings:RabbitMq"] = broker ?? identity.VirtualHost.AmqpUri.ToString();
        builder.Configuration["Api:Authority"] = authority;
        builder.Configuration["Api:Audience"] = "orders";
        builder.Configuration["Api:RequireHttpsMetadata"] = "false";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            builder.Configuration[key] = value;
        builder.AddPlatformResourceServer(configSection: "Api", connectionStringName: "Api");
        // Discovery and keys come from the Identity under test, in memory, whatever host name the URLs say.
        builder.Services.Configure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme,
            bearer => bearer.BackchannelHttpHandler = identity.Server.CreateHandler());

        var api = builder.Build();
        api.UseAuthentication();
        api.UseAuthorization();
        api.MapPlatformHealthEndpoints();
        api.MapGet("/resource", () => Results.Ok()).RequireAuthorization();
        await api.StartAsync(TestTimeout.Token(60));
        var host = new ResourceServerHost(api, database);
        await Eventually.HoldsAsync(async () => (await host.Client.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK,
            "the resource server to load keys and revocations from Identity", TimeSpan.FromSeconds(30));
        return host;
    }

    public async Task<HttpStatusCode> StatusWithAsync(string accessToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/resource");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await Client.SendAsync(request);
        return response.StatusCode;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _api.StopAsync();
        await _api.DisposeAsync();
        await _database.DisposeAsync();
    }
}
