using System.Reflection;

namespace Platform.EndToEnd.Tests.Stack;

/// <summary>
/// The platform the scenarios run against: by default Identity and Orders started here as real processes on fresh
/// databases and a fresh virtual host; or, when PLATFORM_IDENTITY_URL and PLATFORM_ORDERS_URL are set, a stack
/// that is already running (compose, a staging host), which the suite only talks to. PLATFORM_ORDERS_URLS names
/// every Orders instance of such a stack, and PLATFORM_COMPOSE_PROJECT says it is a compose stack the suite may
/// stop and start containers of.
/// </summary>
public sealed partial class PlatformStack : IAsyncLifetime, IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];
    private StackOptions _options = new();
    private readonly List<ServiceProcess> _extraOrders = [];
    private Dictionary<string, string> _ordersEnvironment = [];
    private string? _ordersDll;

    public bool IsExternal { get; private set; }

    public Uri IdentityUrl { get; private set; } = null!;

    public Uri OrdersUrl { get; private set; } = null!;

    /// <summary>Every Orders instance the suite knows of; the first is <see cref="OrdersUrl"/>.</summary>
    public IReadOnlyList<Uri> OrdersUrls { get; private set; } = [];

    /// <summary>The compose stack's containers, when the external stack is one; null otherwise.</summary>
    public ComposeStack? Compose { get; private set; }

    public string OperatorEmail { get; private set; } = "";

    public string OperatorPassword { get; private set; } = "";

    /// <summary>The processes of a local run; null when the stack is external. Identity's are reached through <see cref="IdentityUrl"/>, the front.</summary>
    public ServiceReplicas? Identity { get; private set; }

    public ServiceProcess? Orders { get; private set; }

    /// <summary>The AMQP URI the services use, for observers that bind their own queues; null when the stack is external.</summary>
    public Uri? BrokerUri { get; private set; }

    /// <summary>The stack's own broker, when <see cref="StackOptions.PrivateBroker"/> asked for one.</summary>
    public PrivateRabbitMq? Broker { get; private set; }

    /// <summary>The server of Orders' database, when <see cref="StackOptions.PrivateOrdersDatabase"/> asked for one.</summary>
    public PrivatePostgres? OrdersDatabaseServer { get; private set; }

    /// <summary>A superuser connection string to Identity's database, for read-only observation.</summary>
    public string? IdentityDatabase { get; private set; }

    /// <summary>Why the suite could not bring the stack up; scenarios fail with it rather than hide it.</summary>
    public string? StartupFailure { get; private set; }

    /// <summary>Every line every process of this stack printed so far.</summary>
    public IEnumerable<string> ServiceOutput =>
        (Identity?.Instances ?? []).Append(Orders).Concat(_extraOrders).OfType<ServiceProcess>().SelectMany(p => p.Output);

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

    /// <summary>
    /// A stack of the calling scenario's own, disposed by it. Skips the scenario when the suite runs against an
    /// external stack, since it starts and stops processes and servers.
    /// </summary>
    public static async Task<PlatformStack> StartOwnAsync(StackOptions options)
    {
        Skip.If(IsExternalRequested, "this scenario runs a stack of its own with servers it stops; the suite runs against PLATFORM_IDENTITY_URL / PLATFORM_ORDERS_URL");
        var stack = new PlatformStack { _options = options };
        try
        {
            await stack.StartLocalAsync();
            return stack;
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    private static bool IsExternalRequested =>
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("PLATFORM_IDENTITY_URL"))
        && !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("PLATFORM_ORDERS_URL"));

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

    /// <summary>
    /// Every Orders instance's address as it is now: a compose replica that was restarted or recreated publishes a new
    /// host port, so for a compose stack docker is asked again, and <see cref="OrdersUrl"/> follows the first replica.
    /// </summary>
    public async Task<IReadOnlyList<Uri>> CurrentOrdersUrlsAsync()
    {
        if (Compose is null)
            return OrdersUrls;
        var urls = new List<Uri>();
        for (var replica = 1; replica <= OrdersUrls.Count; replica++)
            urls.Add(await Compose.PublishedUrlAsync(Compose.Container("orders", replica)));
        OrdersUrls = urls;
        OrdersUrl = urls[0];
        return urls;
    }

    /// <summary>Scenarios that kill and restart containers run only against a compose stack (./platform compose test).</summary>
    public ComposeStack SkipUnlessCompose()
    {
        EnsureStarted();
        Skip.If(Compose is null, "this scenario stops and starts containers; it runs against the compose stack (./platform compose test)");
        return Compose!;
    }

    public IdentityClient CreateIdentityClient() => new(IdentityUrl);

    public OrdersClient CreateOrdersClient(Uri? baseAddress = null) => new(baseAddress ?? OrdersUrl);

    /// <summary>
    /// Records every event on the stack's broker through a durable queue of its own, so events published while it
    /// reconnects after a broker restart wait for it.
    /// </summary>
    public Task<EventObserver> ObserveEventsAsync() => EventObserver.StartAsync(
        BrokerUri ?? throw new InvalidOperationException("An external stack's broker is not observable."), "e2e-observer-", durable: true);

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
        _owned.Clear();
        _extraOrders.Clear();
    }

    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();

    private bool ExternalStackFromEnvironment()
    {
        var identity = Environment.GetEnvironmentVariable("PLATFORM_IDENTITY_URL");
        var orders = Environment.GetEnvironmentVariable("PLATFORM_ORDERS_URL");
        if (string.IsNullOrEmpty(identity) || string.IsNullOrEmpty(orders))
            return false;
        IsExternal = true;
        IdentityUrl = new Uri(identity.TrimEnd('/') + "/");
        OrdersUrl = new Uri(orders.TrimEnd('/') + "/");
        var all = (Environment.GetEnvironmentVariable("PLATFORM_ORDERS_URLS") ?? "")
            .Split([' ', ','], StringSplitOptions.RemoveEmptyEntries)
            .Select(url => new Uri(url.TrimEnd('/') + "/"));
        OrdersUrls = all.Prepend(OrdersUrl).Distinct().ToList();
        Compose = ComposeStack.FromEnvironment();
        OperatorEmail = Environment.GetEnvironmentVariable("PLATFORM_OPERATOR_EMAIL")
            ?? throw new InvalidOperationException("PLATFORM_OPERATOR_EMAIL must be set with PLATFORM_IDENTITY_URL.");
        OperatorPassword = Environment.GetEnvironmentVariable("PLATFORM_OPERATOR_PASSWORD")
            ?? throw new InvalidOperationException("PLATFORM_OPERATOR_PASSWORD must be set with PLATFORM_IDENTITY_URL.");
        return true;
    }
}
