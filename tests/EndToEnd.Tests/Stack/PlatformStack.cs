using System.Reflection;
using System.Security.Cryptography;
using Platform.EndToEnd.Tests.Client;
using Platform.Testing;

namespace Platform.EndToEnd.Tests.Stack;

/// <summary>
/// The platform the scenarios run against: by default Identity and Orders started here as real processes on fresh
/// databases and a fresh virtual host; or, when PLATFORM_IDENTITY_URL and PLATFORM_ORDERS_URL are set, a stack
/// that is already running (compose, a staging host), which the suite only talks to.
/// </summary>
public sealed class PlatformStack : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _owned = [];
    private readonly List<ServiceProcess> _extraOrders = [];
    private Dictionary<string, string> _ordersEnvironment = [];
    private string? _ordersDll;

    public bool IsExternal { get; private set; }

    public Uri IdentityUrl { get; private set; } = null!;

    public Uri OrdersUrl { get; private set; } = null!;

    public string OperatorEmail { get; private set; } = "";

    public string OperatorPassword { get; private set; } = "";

    /// <summary>The processes of a local run; null when the stack is external.</summary>
    public ServiceProcess? Identity { get; private set; }

    public ServiceProcess? Orders { get; private set; }

    /// <summary>Why the suite could not bring the stack up; scenarios fail with it rather than hide it.</summary>
    public string? StartupFailure { get; private set; }

    /// <summary>Every line every process of this stack printed so far.</summary>
    public IEnumerable<string> ServiceOutput =>
        new[] { Identity, Orders }.Concat(_extraOrders).OfType<ServiceProcess>().SelectMany(p => p.Output);

    public static string BuildConfiguration { get; } =
        typeof(PlatformStack).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    public static string ServiceDll(string project) =>
        Path.Combine(TestInfrastructure.RepositoryRoot, project, "bin", BuildConfiguration, "net10.0", $"Platform.{project}.dll");

    public async Task InitializeAsync()
    {
        try
        {
            if (ExternalStackFromEnvironment())
                return;
            await StartLocalAsync();
        }
        catch (Exception e)
        {
            StartupFailure = $"{e.GetType().Name}: {e.Message}";
        }
    }

    public void EnsureStarted()
    {
        if (StartupFailure is not null)
            Assert.Fail("The platform stack did not start: " + StartupFailure);
    }

    /// <summary>Scenarios that stop or start processes cannot run against a stack the suite does not own.</summary>
    public void SkipUnlessLocal()
    {
        Skip.If(IsExternal, "this scenario starts and stops service processes; the stack at PLATFORM_IDENTITY_URL / PLATFORM_ORDERS_URL is not run by the suite");
    }

    public IdentityClient CreateIdentityClient() => new(IdentityUrl);

    public OrdersClient CreateOrdersClient(Uri? baseAddress = null) => new(baseAddress ?? OrdersUrl);

    /// <summary>Another Orders instance on its own port, sharing the database and the broker with the first.</summary>
    public ServiceProcess CreateExtraOrders()
    {
        if (IsExternal || _ordersDll is null)
            throw new InvalidOperationException("Only a local stack can start Orders instances.");
        var port = ServiceProcess.FreeLoopbackPort();
        var environment = new Dictionary<string, string>(_ordersEnvironment) { ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}" };
        var instance = new ServiceProcess($"orders-{_extraOrders.Count + 2}", _ordersDll, port, environment);
        _extraOrders.Add(instance);
        return instance;
    }

    public async Task DisposeAsync()
    {
        foreach (var instance in _extraOrders)
            await instance.DisposeAsync();
        // Services first, then the database and virtual host they were using.
        for (var i = _owned.Count - 1; i >= 0; i--)
            await _owned[i].DisposeAsync();
    }

    private bool ExternalStackFromEnvironment()
    {
        var identity = Environment.GetEnvironmentVariable("PLATFORM_IDENTITY_URL");
        var orders = Environment.GetEnvironmentVariable("PLATFORM_ORDERS_URL");
        if (string.IsNullOrEmpty(identity) || string.IsNullOrEmpty(orders))
            return false;
        IsExternal = true;
        IdentityUrl = new Uri(identity.TrimEnd('/') + "/");
        OrdersUrl = new Uri(orders.TrimEnd('/') + "/");
        OperatorEmail = Environment.GetEnvironmentVariable("PLATFORM_OPERATOR_EMAIL")
            ?? throw new InvalidOperationException("PLATFORM_OPERATOR_EMAIL must be set with PLATFORM_IDENTITY_URL.");
        OperatorPassword = Environment.GetEnvironmentVariable("PLATFORM_OPERATOR_PASSWORD")
            ?? throw new InvalidOperationException("PLATFORM_OPERATOR_PASSWORD must be set with PLATFORM_IDENTITY_URL.");
        return true;
    }

    private async Task StartLocalAsync()
    {
        var identityDb = await Own(TestDatabase.CreateAsync("e2e_identity"));
        var ordersDb = await Own(TestDatabase.CreateAsync("e2e_orders"));
        var vhost = await Own(TestVirtualHost.CreateAsync("e2e"));
        var dataDirectory = Directory.CreateTempSubdirectory("platform-e2e-identity-");
        _owned.Add(new DeleteDirectory(dataDirectory));

        OperatorEmail = $"operator-{Guid.NewGuid():N}@e2e.test";
        OperatorPassword = "Op-" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
        var identityPort = ServiceProcess.FreeLoopbackPort();
        IdentityUrl = new Uri($"http://127.0.0.1:{identityPort}/");

        Identity = new ServiceProcess("identity", ServiceDll("Identity"), identityPort, new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{identityPort}",
            ["ConnectionStrings__Identity"] = identityDb.ConnectionString,
            ["ConnectionStrings__RabbitMq"] = vhost.AmqpUri.ToString(),
            ["Identity__Issuer"] = $"http://127.0.0.1:{identityPort}",
            ["Identity__KeyEncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Identity__DataDirectory"] = dataDirectory.FullName,
            ["Identity__BootstrapAdmin__Email"] = OperatorEmail,
            ["Identity__BootstrapAdmin__Password"] = OperatorPassword,
        });
        _owned.Add(Identity);
        await Identity.StartAsync();

        _ordersDll = ServiceDll("Orders");
        var ordersPort = ServiceProcess.FreeLoopbackPort();
        OrdersUrl = new Uri($"http://127.0.0.1:{ordersPort}/");
        _ordersEnvironment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ConnectionStrings__Orders"] = ordersDb.ConnectionString,
            ["ConnectionStrings__RabbitMq"] = vhost.AmqpUri.ToString(),
            ["Orders__Authority"] = $"http://127.0.0.1:{identityPort}",
            ["Orders__Audience"] = "orders",
        };
        Orders = new ServiceProcess("orders", _ordersDll, ordersPort,
            new Dictionary<string, string>(_ordersEnvironment) { ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{ordersPort}" });
        _owned.Add(Orders);
        await Orders.StartAsync();
    }

    private async Task<T> Own<T>(Task<T> creation) where T : IAsyncDisposable
    {
        var resource = await creation;
        _owned.Add(resource);
        return resource;
    }

    private sealed class DeleteDirectory(DirectoryInfo directory) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            try
            {
                directory.Delete(recursive: true);
            }
            catch (IOException)
            {
                // A temp folder left behind is harmless; failing the run over it is not.
            }

            return ValueTask.CompletedTask;
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PlatformStackCollection : ICollectionFixture<PlatformStack>
{
    public const string Name = "platform stack";
}
