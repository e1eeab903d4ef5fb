namespace Platform.Benchmarks.WholeSystem;

/// <summary>
/// Identity and one Orders as Release processes, each with a fresh database, on a fresh virtual host; Orders starts
/// with the floor assembly injected. Everything is stopped and dropped on dispose.
/// </summary>
public sealed class FloorStack : IAsyncDisposable
{
    private readonly List<ServiceProcess> _processes = [];
    private readonly List<IAsyncDisposable> _owned = [];
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("platform-floor-").FullName;

    public Uri Identity { get; private set; } = null!;

    public Uri Orders { get; private set; } = null!;

    public TestDatabase IdentityDatabase { get; private set; } = null!;

    public static async Task<FloorStack> StartAsync(string floorAssembly)
    {
        var stack = new FloorStack();
        try
        {
            await stack.StartCoreAsync(floorAssembly);
            return stack;
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    private async Task StartCoreAsync(string floorAssembly)
    {
        IdentityDatabase = await TestDatabase.CreateAsync("floor_identity");
        _owned.Add(IdentityDatabase);
        var ordersDb = await TestDatabase.CreateAsync("floor_orders");
        _owned.Add(ordersDb);
        var virtualHost = await TestVirtualHost.CreateAsync("floor");
        _owned.Add(virtualHost);
        Identity = ServiceProcess.NewUrl();
        Orders = ServiceProcess.NewUrl();
        var common = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ConnectionStrings__RabbitMq"] = virtualHost.AmqpUri.ToString(),
            ["Logging__LogLevel__Default"] = "Warning",
        };
        _processes.Add(ServiceProcess.Start("Identity", Identity, SystemStack.IdentityEnvironment(common, Identity, IdentityDatabase.ConnectionString,
            _dataDirectory, "floor-admin@platform.local", "floor-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)))));
        await _processes[^1].WaitReadyAsync("Identity");
        _processes.Add(ServiceProcess.Start("Orders", Orders, new Dictionary<string, string>(common)
        {
            ["ConnectionStrings__Orders"] = ordersDb.ConnectionString,
            ["Orders__Authority"] = Identity.ToString().TrimEnd('/'),
            ["Orders__Audience"] = "orders",
            // The hook makes the assembly loadable by name; the hosting startup then adds the floor route.
            ["DOTNET_STARTUP_HOOKS"] = floorAssembly,
            ["ASPNETCORE_HOSTINGSTARTUPASSEMBLIES"] = Path.GetFileNameWithoutExtension(floorAssembly),
        }));
        await _processes[^1].WaitReadyAsync("Orders");
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
