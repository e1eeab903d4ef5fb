namespace Platform.Benchmarks.WholeSystem;

/// <summary>
/// Identity and Orders as real Release processes on free loopback ports, each with its own database, sharing one
/// fresh virtual host; beside them a second Orders on the same database but a virtual host of its own, so revocations
/// published there fill only its deny-list while both serve the same users and orders. Everything is stopped and
/// dropped on dispose.
/// </summary>
public sealed class SystemStack : IAsyncDisposable
{
    private readonly List<ServiceProcess> _processes = [];
    private readonly List<IAsyncDisposable> _owned = [];
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("platform-bench-").FullName;

    public Uri Identity { get; private set; } = null!;

    /// <summary>The Orders instance Identity's events reach; its deny-list holds only what the run revokes.</summary>
    public Uri Orders { get; private set; } = null!;

    public TestVirtualHost VirtualHost { get; private set; } = null!;

    /// <summary>The second Orders instance, fed only through <see cref="FilledVirtualHost"/>.</summary>
    public Uri FilledOrders { get; private set; } = null!;

    public TestVirtualHost FilledVirtualHost { get; private set; } = null!;

    public string AdminEmail { get; } = "bench-admin@platform.local";

    /// <summary>Generated per run and handed to Identity through its environment only; never printed.</summary>
    public string AdminPassword { get; } = "bench-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    /// <param name="identitySettings">Environment variables for Identity on top of the stack's own, e.g. a run's variant.</param>
    /// <param name="filledOrders">Whether to start the second Orders instance; a run that never uses it starts faster without.</param>
    public static async Task<SystemStack> StartAsync(IReadOnlyDictionary<string, string>? identitySettings = null, bool filledOrders = true)
    {
        var stack = new SystemStack();
        try
        {
            await stack.StartCoreAsync(identitySettings ?? new Dictionary<string, string>(), filledOrders);
            return stack;
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    private async Task StartCoreAsync(IReadOnlyDictionary<string, string> identitySettings, bool filledOrders)
    {
        var identityDb = await TestDatabase.CreateAsync("bench_identity");
        _owned.Add(identityDb);
        var ordersDb = await TestDatabase.CreateAsync("bench_orders");
        _owned.Add(ordersDb);
        VirtualHost = await TestVirtualHost.CreateAsync("bench");
        _owned.Add(VirtualHost);
        Identity = ServiceProcess.NewUrl();
        Orders = ServiceProcess.NewUrl();
        var common = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ConnectionStrings__RabbitMq"] = VirtualHost.AmqpUri.ToString(),
            // Request logging at Information would measure the console, not the service.
            ["Logging__LogLevel__Default"] = "Warning",
        };
        var identity = IdentityEnvironment(common, Identity, identityDb.ConnectionString, _dataDirectory, AdminEmail, AdminPassword);
        foreach (var (key, value) in identitySettings)
            identity[key] = value;
        _processes.Add(ServiceProcess.Start("Identity", Identity, identity));
        await _processes[^1].WaitReadyAsync("Identity");
        var orders = new Dictionary<string, string>(common)
        {
            ["ConnectionStrings__Orders"] = ordersDb.ConnectionString,
            ["Orders__Authority"] = Identity.ToString().TrimEnd('/'),
            ["Orders__Audience"] = "orders",
            // Key revocation trials bring a new kid every few hundred milliseconds; the default 30 s would throttle learning it.
            ["Orders__RefreshInterval"] = "00:00:01",
        };
        _processes.Add(ServiceProcess.Start("Orders", Orders, orders));
        await _processes[^1].WaitReadyAsync("Orders");
        if (filledOrders)
            await StartFilledOrdersAsync(orders);
    }

    /// <summary>Identity's settings for a benchmark stack, on top of <paramref name="common"/>; other stacks start it the same way.</summary>
    public static Dictionary<string, string> IdentityEnvironment(
        IReadOnlyDictionary<string, string> common, Uri identity, string connectionString, string dataDirectory,
        string adminEmail, string adminPassword) => new(common)
    {
        ["ConnectionStrings__Identity"] = connectionString,
        ["Identity__Issuer"] = identity.ToString().TrimEnd('/'),
        ["Identity__KeyEncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        ["Identity__DataDirectory"] = dataDirectory,
        ["Identity__BootstrapAdmin__Email"] = adminEmail,
        ["Identity__BootstrapAdmin__Password"] = adminPassword,
        // Every simulated user signs up from loopback; the run measures the services, not the throttle.
        ["Identity__RateLimit__PasswordPermitLimit"] = "100000",
    };

    /// <summary>
    /// Started once the first instance is ready: both read the shared revocation table only while starting, so the
    /// rows the second one's store consumer writes later never reach the first one's deny-list.
    /// </summary>
    private async Task StartFilledOrdersAsync(Dictionary<string, string> orders)
    {
        FilledVirtualHost = await TestVirtualHost.CreateAsync("bench-filled");
        _owned.Add(FilledVirtualHost);
        var relay = await CatchUpRelay.StartAsync(VirtualHost, FilledVirtualHost);
        _owned.Add(relay);
        FilledOrders = ServiceProcess.NewUrl();
        _processes.Add(ServiceProcess.Start("Orders", FilledOrders, new Dictionary<string, string>(orders) { ["ConnectionStrings__RabbitMq"] = FilledVirtualHost.AmqpUri.ToString() }));
        await _processes[^1].WaitReadyAsync("The second Orders");
        // Without Identity's answer it would have started from the table alone and kept retrying in the background.
        if (relay.Answered == 0)
            throw new InvalidOperationException("The second Orders became ready without Identity answering its catch-up.");
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
