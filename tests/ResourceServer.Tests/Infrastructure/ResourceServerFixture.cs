namespace Platform.ResourceServer.Tests.Infrastructure;

/// <summary>
/// What the library needs around it, once per test collection: a database and virtual host of its own, a token issuer
/// over HTTP and Identity's side of the bus, plus one running API instance.
/// </summary>
public sealed class ResourceServerFixture : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _apps = [];

    public TestDatabase Database { get; private set; } = null!;

    public TestVirtualHost VirtualHost { get; private set; } = null!;

    public TestTokenIssuer Issuer { get; private set; } = null!;

    public FakeIdentityBus Identity { get; private set; } = null!;

    public ResourceServerApp App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync("resource_server_tests");
        VirtualHost = await TestVirtualHost.CreateAsync("resource-server-tests");
        Issuer = await TestTokenIssuer.StartAsync();
        Identity = await FakeIdentityBus.StartAsync(VirtualHost.AmqpUri);
        App = await StartAppAsync();
        await App.WaitUntilReadyAsync();
    }

    public Dictionary<string, string?> Settings(string? connectionString = null) => new()
    {
        ["ConnectionStrings:" + ResourceServerApp.Section] = connectionString ?? Database.ConnectionString,
        ["ConnectionStrings:RabbitMq"] = VirtualHost.AmqpUri.ToString(),
        [ResourceServerApp.Section + ":Authority"] = Issuer.Issuer,
        [ResourceServerApp.Section + ":Audience"] = "orders",
        [ResourceServerApp.Section + ":RequireHttpsMetadata"] = "false",
        [ResourceServerApp.Section + ":CatchUpTimeout"] = "00:00:02",
        [ResourceServerApp.Section + ":CatchUpAttempts"] = "1",
    };

    /// <summary>Starts another instance; it is disposed with the fixture unless the test does it first.</summary>
    public async Task<ResourceServerApp> StartAppAsync(Dictionary<string, string?>? settings = null)
    {
        var app = await ResourceServerApp.StartAsync(settings ?? Settings());
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
public sealed class ResourceServerCollection : ICollectionFixture<ResourceServerFixture>
{
    public const string Name = "resource-server";
}
