namespace Platform.Benchmarks.WholeSystem;

/// <summary>
/// Identity and Orders replicas as real Release processes: the Identity instances share one database, the Orders
/// instances another, all one fresh virtual host, as a production deployment runs them behind load balancers; each
/// Orders instance has a queue of its own. Everything is stopped and dropped on dispose.
/// </summary>
public sealed class ScaleStack : IAsyncDisposable
{
    private readonly List<ServiceProcess> _processes = [];
    private readonly List<IAsyncDisposable> _owned = [];
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("platform-scale-").FullName;

    public IReadOnlyList<Uri> Identities { get; private set; } = [];

    /// <summary>The first Identity instance, for runs that need only one.</summary>
    public Uri Identity => Identities[0];

    public TestDatabase IdentityDatabase { get; private set; } = null!;

    public TestVirtualHost VirtualHost { get; private set; } = null!;

    public IReadOnlyList<Uri> Orders { get; private set; } = [];

    public string AdminEmail { get; } = "scale-admin@platform.local";

    /// <summary>Generated per run and handed to Identity through its environment only; never printed.</summary>
    public string AdminPassword { get; } = "scale-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    public static async Task<ScaleStack> StartAsync(int identities, int orders)
    {
        var stack = new ScaleStack();
        try
        {
            await stack.StartCoreAsync(identities, orders);
            return stack;
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    private async Task StartCoreAsync(int identityCount, int ordersCount)
    {
        IdentityDatabase = await TestDatabase.CreateAsync("scale_identity");
        _owned.Add(IdentityDatabase);
        var ordersDb = await TestDatabase.CreateAsync("scale_orders");
        _owned.Add(ordersDb);
        VirtualHost = await TestVirtualHost.CreateAsync("scale");
        _owned.Add(VirtualHost);
        var common = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ConnectionStrings__RabbitMq"] = VirtualHost.AmqpUri.ToString(),
            ["Logging__LogLevel__Default"] = "Warning",
        };

        // One issuer for all: a client may be answered by any instance, and resource servers trust one authority.
        var identities = Enumerable.Range(0, identityCount).Select(_ => ServiceProcess.NewUrl()).ToList();
        var identity = new Dictionary<string, string>(common)
        {
            ["ConnectionStrings__Identity"] = IdentityDatabase.ConnectionString,
            ["Identity__Issuer"] = identities[0].ToString().TrimEnd('/'),
            ["Identity__KeyEncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Identity__DataDirectory"] = _dataDirectory,
            ["Identity__BootstrapAdmin__Email"] = AdminEmail,
            ["Identity__BootstrapAdmin__Password"] = AdminPassword,
            ["Identity__RateLimit__PasswordPermitLimit"] = "100000",
            ["Identity__RateLimit__PermitLimit"] = "100000",
        };
        foreach (var url in identities)
            _processes.Add(ServiceProcess.Start("Identity", url, identity));
        foreach (var process in _processes)
            await process.WaitReadyAsync("Identity");
        Identities = identities;

        var orders = Enumerable.Range(0, ordersCount).Select(_ => ServiceProcess.NewUrl()).ToList();
        var environment = new Dictionary<string, string>(common)
        {
            ["ConnectionStrings__Orders"] = ordersDb.ConnectionString,
            ["Orders__Authority"] = identities[0].ToString().TrimEnd('/'),
            ["Orders__Audience"] = "orders",
        };
        // The first one migrates the shared database; the others start together once it has.
        _processes.Add(ServiceProcess.Start("Orders", orders[0], environment));
        await _processes[^1].WaitReadyAsync("Orders 1");
        foreach (var url in orders.Skip(1))
            _processes.Add(ServiceProcess.Start("Orders", url, environment));
        foreach (var process in _processes.Skip(identityCount + 1))
            await process.WaitReadyAsync("Orders");
        Orders = orders;
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
