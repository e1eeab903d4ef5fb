using static Platform.ResourceServer.Tests.RevocationFeedTests;

namespace Platform.ResourceServer.Tests;

/// <summary>
/// After losing the broker an instance cannot know what it missed (its queue may have expired and come back empty),
/// so once its queue consumes again it asks Identity for the active revocations again.
/// </summary>
public sealed class BrokerReconnectTests : IAsyncLifetime
{
    private PrivateRabbitMq _broker = null!;
    private TestDatabase _database = null!;
    private TestTokenIssuer _issuer = null!;
    private FakeIdentityBus _identity = null!;

    public async Task InitializeAsync()
    {
        _broker = await PrivateRabbitMq.StartAsync();
        _database = await TestDatabase.CreateAsync("resource_server_reconnect");
        _issuer = await TestTokenIssuer.StartAsync();
        _identity = await FakeIdentityBus.StartAsync(_broker.AmqpUri);
    }

    [Fact]
    public async Task After_a_broker_restart_the_instance_catches_up_with_Identity_again()
    {
        await using var instance = await ResourceServerApp.StartAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings:" + ResourceServerApp.Section] = _database.ConnectionString,
            ["ConnectionStrings:RabbitMq"] = _broker.AmqpUri.ToString(),
            [ResourceServerApp.Section + ":Authority"] = _issuer.Issuer,
            [ResourceServerApp.Section + ":Audience"] = "orders",
            [ResourceServerApp.Section + ":RequireHttpsMetadata"] = "false",
            [ResourceServerApp.Section + ":CatchUpTimeout"] = "00:00:02",
        });
        await instance.WaitUntilReadyAsync();
        var requestsAtStart = _identity.RequestsSeen;
        var user = Guid.NewGuid();
        var token = _issuer.Mint(user, change: (_, c) => c["iat"] = DateTimeOffset.UtcNow.AddMinutes(-2).ToUnixTimeSeconds());

        await _broker.StopAsync();
        // Identity learns of a deactivation the instance never hears as an event.
        _identity.ActiveUsers[user] = DateTimeOffset.UtcNow.AddMinutes(-1);
        await _broker.RestartAsync();

        await Eventually.HoldsAsync(() => _identity.RequestsSeen > requestsAtStart, "the instance to ask Identity again after reconnecting",
            TimeSpan.FromSeconds(90), TimeSpan.FromMilliseconds(200));
        await Eventually.HoldsAsync(async () => await Status(instance, token) == HttpStatusCode.Unauthorized,
            "the deactivation Identity reported to be enforced", TimeSpan.FromSeconds(30));
        await Eventually.HoldsAsync(async () => (await CatchUpStalenessTests.DenyListHealthAsync(instance)).Status == "Healthy",
            "the deny-list check to be Healthy again once caught up");
    }

    public async Task DisposeAsync()
    {
        await _identity.DisposeAsync();
        await _issuer.DisposeAsync();
        await _database.DisposeAsync();
        await _broker.DisposeAsync();
    }
}
