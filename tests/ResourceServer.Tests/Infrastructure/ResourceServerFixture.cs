namespace Platform.ResourceServer.Tests.Infrastructure;

/// <summary>What the library needs around it, once per test collection, plus one running API instance.</summary>
public sealed class ResourceServerFixture : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _apps = [];
    private ApiEnvironment _environment = null!;

    public TestTokenIssuer Issuer => _environment.Issuer;

    public FakeIdentityBus Identity => _environment.Identity;

    public ResourceServerApp App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _environment = await ApiEnvironment.CreateAsync("resource-server");
        App = await StartAppAsync();
        await App.WaitUntilReadyAsync();
    }

    public Dictionary<string, string?> Settings(string? connectionString = null) =>
        _environment.ResourceServerSettings(ResourceServerApp.Section, connectionString);

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
        await _environment.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ResourceServerCollection : ICollectionFixture<ResourceServerFixture>
{
    public const string Name = "resource-server";
}
