using Microsoft.AspNetCore.Mvc.Testing;

namespace Platform.Identity.Tests.Infrastructure;

/// <summary>
/// A second Identity instance of <paramref name="primary"/>'s deployment, as a scale-out runs it: the same database,
/// broker, KEK and fixture settings, but its own process state and its own data directory (nothing shared on disk).
/// </summary>
public sealed class PeerIdentityApp(IdentityApp primary) : WebApplicationFactory<Program>
{
    public string DataDirectory { get; } = IdentityApp.NewDataDirectory();

    protected override void ConfigureWebHost(IWebHostBuilder builder) => primary.ConfigurePeer(builder, DataDirectory);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(DataDirectory))
            Directory.Delete(DataDirectory, recursive: true);
    }
}
