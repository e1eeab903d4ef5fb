using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Platform.EndToEnd.Tests.Attacks;

/// <summary>The attacker's web server: serves its own key on any path and counts requests, to prove no service fetched it.</summary>
internal sealed class AttackerListener : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;

    private AttackerListener(WebApplication app) => _app = app;

    public RSA Key { get; } = RSA.Create(2048);

    public string Kid { get; } = "attacker-" + Guid.NewGuid().ToString("N")[..8];

    public string Url { get; private set; } = "";

    public int Requests => Volatile.Read(ref _requests);

    public static async Task<AttackerListener> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var listener = new AttackerListener(app);
        app.Run(context =>
        {
            Interlocked.Increment(ref listener._requests);
            return context.Response.WriteAsync("{\"keys\":[" + Forge.AttackerJwk(listener.Key, listener.Kid).ToJsonString() + "]}");
        });
        await app.StartAsync();
        listener.Url = app.Urls.First().TrimEnd('/') + "/jwks.json";
        return listener;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        Key.Dispose();
    }
}
