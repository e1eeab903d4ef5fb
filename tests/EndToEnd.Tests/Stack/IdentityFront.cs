using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.LoadBalancing;

namespace Platform.EndToEnd.Tests.Stack;

/// <summary>
/// The one address of a local stack's Identity, as a load balancer gives it in a deployment: a YARP reverse proxy in
/// the test process that sends requests round-robin to the Identity processes. It sets <c>X-Forwarded-For</c> to the
/// address that connected to it, replacing whatever the client sent, and the Identity processes trust it (and only
/// it) to name the client, so rate limits and lockouts still key on the real client.
/// </summary>
public sealed class IdentityFront : IAsyncDisposable
{
    private readonly WebApplication _app;

    private IdentityFront(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>The address the front connects to the Identity processes from: the one they trust as their proxy.</summary>
    public static string ProxyAddress => IPAddress.Loopback.ToString();

    public static async Task<IdentityFront> StartAsync(int port, IReadOnlyList<Uri> instances)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://{ProxyAddress}:{port}");
        builder.Services.AddReverseProxy().LoadFromMemory(
            [
                new RouteConfig
                {
                    RouteId = "identity",
                    ClusterId = "identity",
                    Match = new RouteMatch { Path = "{**rest}" },
                    Transforms = [new Dictionary<string, string> { ["X-Forwarded"] = "Set" }],
                },
            ],
            [
                new ClusterConfig
                {
                    ClusterId = "identity",
                    LoadBalancingPolicy = LoadBalancingPolicies.RoundRobin,
                    HttpRequest = new ForwarderRequestConfig { Version = HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionExact },
                    Destinations = instances.Select((uri, i) => (Key: $"identity-{i + 1}", Value: new DestinationConfig { Address = uri.ToString() }))
                        .ToDictionary(d => d.Key, d => d.Value),
                },
            ]);
        var app = builder.Build();
        app.MapReverseProxy();
        await app.StartAsync();
        return new IdentityFront(app, new Uri($"http://{ProxyAddress}:{port}/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
