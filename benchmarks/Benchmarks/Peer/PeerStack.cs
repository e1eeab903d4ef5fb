using Platform.Benchmarks.WholeSystem;

namespace Platform.Benchmarks.Peer;

/// <summary>
/// A real Identity (its own database and fresh virtual host) and the three peer apps as Release processes in
/// Production; the library's app has a database of its own and takes Identity's revocations on that virtual host, so
/// its deny-list is live. Everything is stopped and dropped on dispose.
/// </summary>
public sealed class PeerStack : IAsyncDisposable
{
    private readonly List<ServiceProcess> _processes = [];
    private readonly List<IAsyncDisposable> _owned = [];
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("platform-peer-").FullName;

    public Uri Identity { get; private set; } = null!;

    public TestDatabase IdentityDatabase { get; private set; } = null!;

    public IReadOnlyDictionary<string, Uri> Apps => _apps;

    private readonly Dictionary<string, Uri> _apps = [];

    public static async Task<PeerStack> StartAsync()
    {
        var stack = new PeerStack();
        try
        {
            await stack.StartCoreAsync();
            return stack;
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    private async Task StartCoreAsync()
    {
        IdentityDatabase = await TestDatabase.CreateAsync("peer_identity");
        _owned.Add(IdentityDatabase);
        var libraryDb = await TestDatabase.CreateAsync("peer_library");
        _owned.Add(libraryDb);
        var virtualHost = await TestVirtualHost.CreateAsync("peer");
        _owned.Add(virtualHost);
        Identity = ServiceProcess.NewUrl();
        var common = new Dictionary<string, string>
        {
            ["ConnectionStrings__RabbitMq"] = virtualHost.AmqpUri.ToString(),
            // Request logging at Information would measure the console, not the service.
            ["Logging__LogLevel__Default"] = "Warning",
        };
        var identity = SystemStack.IdentityEnvironment(new Dictionary<string, string>(common) { ["ASPNETCORE_ENVIRONMENT"] = "Development" },
            Identity, IdentityDatabase.ConnectionString, _dataDirectory,
            "peer-admin@platform.local", "peer-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)));
        // Tokens are minted before the rounds and must outlive them; refreshes come in bulk from one address.
        identity["Identity__AccessTokenLifetime"] = "00:14:00";
        identity["Identity__RateLimit__PermitLimit"] = "100000000";
        _processes.Add(ServiceProcess.Start("Identity", Identity, identity));
        await _processes[^1].WaitReadyAsync("Identity");

        var self = typeof(PeerStack).Assembly.Location;
        foreach (var kind in new[] { "stock", "library", "none" })
        {
            var url = ServiceProcess.NewUrl();
            _processes.Add(ServiceProcess.Start(self, ["--peer-app", kind], Path.GetDirectoryName(self)!, url,
                new Dictionary<string, string>(common)
                {
                    ["ASPNETCORE_ENVIRONMENT"] = "Production",
                    // As an ASP.NET Core app (the Web SDK) runs by default; this process is built as a console app.
                    ["DOTNET_gcServer"] = "1",
                    [$"{PeerApp.Section}__Authority"] = Identity.ToString().TrimEnd('/'),
                    [$"{PeerApp.Section}__Audience"] = "orders",
                    [$"{PeerApp.Section}__RequireHttpsMetadata"] = "false",
                    [$"ConnectionStrings__{PeerApp.Section}"] = libraryDb.ConnectionString,
                }));
            await _processes[^1].WaitReadyAsync($"The {kind} app");
            _apps[kind] = url;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in Enumerable.Reverse(_processes))
            await process.DisposeAsync();
        foreach (var owned in Enumerable.Reverse(_owned))
            await owned.DisposeAsync();
        Directory.Delete(_dataDirectory, recursive: true);
    }
}
