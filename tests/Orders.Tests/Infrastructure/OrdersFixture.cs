namespace Platform.Orders.Tests.Infrastructure;

/// <summary>
/// What Orders needs around it, once per test collection: its own database and virtual host, a token issuer over
/// HTTP and Identity's side of the bus, plus one running Orders instance.
/// </summary>
public sealed class OrdersFixture : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _apps = [];

    public TestDatabase Database { get; private set; } = null!;

    public TestVirtualHost VirtualHost { get; private set; } = null!;

    public TestTokenIssuer Issuer { get; private set; } = null!;

    public FakeIdentityBus Identity { get; private set; } = null!;

    public OrdersApp App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync("orders_tests");
        VirtualHost = await TestVirtualHost.CreateAsync("orders-tests");
        Issuer = await TestTokenIssuer.StartAsync();
        Identity = await FakeIdentityBus.StartAsync(VirtualHost.AmqpUri);
        App = StartApp();
        await App.WaitUntilReadyAsync();
    }

    public Dictionary<string, string?> Settings(string? connectionString = null, Uri? amqp = null) => new()
    {
        ["ConnectionStrings:Orders"] = connectionString ?? Database.ConnectionString,
        ["ConnectionStrings:RabbitMq"] = (amqp ?? VirtualHost.AmqpUri).ToString(),
        ["Orders:Authority"] = Issuer.Issuer,
        ["Orders:Audience"] = "orders",
        ["Orders:RequireHttpsMetadata"] = "false",
        ["Orders:CatchUpTimeout"] = "00:00:02",
        ["Orders:CatchUpAttempts"] = "1",
    };

    /// <summary>Builds and starts another Orders instance; it is disposed with the fixture unless the test does it first.</summary>
    public OrdersApp StartApp(Dictionary<string, string?>? settings = null)
    {
        var app = new OrdersApp(settings ?? Settings());
        _ = app.Server;
        _apps.Add(app);
        return app;
    }

    public async Task DisposeAsync()
    {
        foreach (var app in _apps)
            await app.DisposeAsync();
        await Identity.DisposeAsync();
        await Issuer.DisposeAsync();
        await VirtualHost.DisposeAsync();
        await Database.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class OrdersCollection : ICollectionFixture<OrdersFixture>
{
    public const string Name = "orders";
}
