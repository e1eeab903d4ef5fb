using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;
using Platform.ResourceServer;
using Platform.ServiceDefaults.Health;

namespace Platform.ResourceServer.Tests.Infrastructure;

/// <summary>
/// The smallest API a second team could write: <c>AddPlatformResourceServer</c>, its health checks and one protected
/// endpoint, nothing else. What holds here holds for any API built on the library, not only for Orders.
/// </summary>
public sealed class ResourceServerApp : IAsyncDisposable
{
    public const string Section = "Api";
    public const string Path = "/resource";

    private readonly WebApplication _app;
    private int _disposed;

    private ResourceServerApp(WebApplication app) => _app = app;

    public IServiceProvider Services => _app.Services;

    public static async Task<ResourceServerApp> StartAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        foreach (var (key, value) in settings)
            builder.Configuration[key] = value;
        builder.AddPlatformResourceServer(configSection: Section, connectionStringName: Section);

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapPlatformHealthEndpoints();
        app.MapGet(Path, () => Results.Ok());
        await app.StartAsync(TestTimeout.Token(60));
        return new ResourceServerApp(app);
    }

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public HttpClient CreateClient() => _app.GetTestClient();

    public HttpClient ClientWith(string token) => CreateClient().WithBearer(token);

    /// <summary>Ready means the deny-list is loaded and the signing keys are known.</summary>
    public async Task WaitUntilReadyAsync(int seconds = 30)
    {
        using var client = CreateClient();
        await client.WaitUntilReadyAsync("the API", seconds);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        await _app.StopAsync(TestTimeout.Token(30));
        await _app.DisposeAsync();
    }
}
