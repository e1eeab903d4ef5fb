namespace Platform.Orders.Tests.Infrastructure;

/// <summary>What Orders needs around it, once per test collection, plus one running Orders instance.</summary>
public sealed class OrdersFixture : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _apps = [];
    private ApiEnvironment _environment = null!;

    public TestTokenIssuer Issuer => _environment.Issuer;

    public FakeIdentityBus Identity => _environment.Identity;

    public OrdersApp App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _environment = await ApiEnvironment.CreateAsync("orders");
        App = StartApp();
        await App.WaitUntilReadyAsync();
    }

    public Dictionary<string, string?> Settings(string? connectionString = null, Uri? amqp = null) =>
        _environment.ResourceServerSettings("Orders", connectionString, amqp);

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
        await _environment.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class OrdersCollection : ICollectionFixture<OrdersFixture>
{
    public const string Name = "orders";
}
