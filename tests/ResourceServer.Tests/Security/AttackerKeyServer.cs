using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Platform.ResourceServer.Tests.Security;

/// <summary>
/// The URL a forged header points at: it serves the attacker's key on any path and counts requests, so a test can
/// prove the resource server never fetched it.
/// </summary>
internal sealed class AttackerKeyServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly RSA _key = RSA.Create(2048);
    private int _requests;

    private AttackerKeyServer(WebApplication app) => _app = app;

    public string Kid { get; } = "attacker-" + Guid.NewGuid().ToString("N")[..8];

    public string Url { get; private set; } = "";

    public int Requests => Volatile.Read(ref _requests);

    public static async Task<AttackerKeyServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new AttackerKeyServer(app);
        app.Run(context =>
        {
            Interlocked.Increment(ref server._requests);
            return context.Response.WriteAsJsonAsync(new { keys = new[] { TestTokenIssuer.PublicJwk(server._key, server.Kid) } });
        });
        await app.StartAsync();
        server.Url = app.Urls.First().TrimEnd('/') + "/jwks.json";
        return server;
    }

    public byte[] SignRs256(byte[] data) => _key.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    public string PublicModulus => Base64UrlEncoder.Encode(_key.ExportParameters(false).Modulus);

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _key.Dispose();
    }
}
