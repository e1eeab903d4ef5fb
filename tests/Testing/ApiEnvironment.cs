namespace Platform.Testing;

/// <summary>
/// What an API built on the ResourceServer library needs around it in a test: a database and a virtual host of its
/// own, a token issuer over HTTP and Identity's side of the bus. Orders' suite and the library's own suite share it.
/// </summary>
public sealed record ApiEnvironment(TestDatabase Database, TestVirtualHost VirtualHost, TestTokenIssuer Issuer, FakeIdentityBus Identity)
    : IAsyncDisposable
{
    /// <param name="name">Names the database (<c>name_tests</c>) and the virtual host (<c>name-tests</c>).</param>
    public static async Task<ApiEnvironment> CreateAsync(string name)
    {
        var database = await TestDatabase.CreateAsync(name.Replace('-', '_') + "_tests");
        var virtualHost = await TestVirtualHost.CreateAsync(name + "-tests");
        var issuer = await TestTokenIssuer.StartAsync();
        var identity = await FakeIdentityBus.StartAsync(virtualHost.AmqpUri);
        return new ApiEnvironment(database, virtualHost, issuer, identity);
    }

    /// <summary>
    /// The resource server's settings under <paramref name="section"/> (which also names its connection string), pointed
    /// at this environment. One short catch-up attempt, so tests that silence Identity do not wait out the defaults.
    /// </summary>
    public Dictionary<string, string?> ResourceServerSettings(string section, string? connectionString = null, Uri? amqp = null) => new()
    {
        ["ConnectionStrings:" + section] = connectionString ?? Database.ConnectionString,
        ["ConnectionStrings:RabbitMq"] = (amqp ?? VirtualHost.AmqpUri).ToString(),
        [section + ":Authority"] = Issuer.Issuer,
        [section + ":Audience"] = "orders",
        [section + ":RequireHttpsMetadata"] = "false",
        [section + ":CatchUpTimeout"] = "00:00:02",
        [section + ":CatchUpAttempts"] = "1",
    };

    public async ValueTask DisposeAsync()
    {
        await Identity.DisposeAsync();
        await Issuer.DisposeAsync();
        await VirtualHost.DisposeAsync();
        await Database.DisposeAsync();
    }
}
