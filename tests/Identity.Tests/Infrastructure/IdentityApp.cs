using System.Globalization;
using MassTransit;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Platform.Identity.Tests.Infrastructure;

/// <summary>Identity on its own database and virtual host, with a fake clock and an observer of its events.</summary>
public class IdentityApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string Issuer = "http://identity.test";
    public const string AdminEmail = "operator@identity.test";
    public const string AdminPassword = "bootstrap passphrase for tests 9";

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    public TestDatabase Database { get; private set; } = null!;

    public TestVirtualHost VirtualHost { get; private set; } = null!;

    public EventObserver Events { get; private set; } = null!;

    public string DataDirectory { get; } = NewDataDirectory();

    /// <summary>The KEK; a second instance on the same database needs the same one, as in a real deployment.</summary>
    public string KeyEncryptionKey { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static string NewDataDirectory() => Path.Combine(Path.GetTempPath(), "identity-tests-" + Guid.NewGuid().ToString("N"));

    /// <summary>The broker Identity talks to; a fault test points it at a private node.</summary>
    protected virtual Uri BrokerUri => VirtualHost.AmqpUri;

    protected virtual bool DurableObserver => false;

    /// <summary>False for a fixture whose test starts the host itself, e.g. together with another one.</summary>
    protected virtual bool StartsOnInitialize => true;

    /// <summary>The SMTP server reset mails go to: the shared mail catcher, unless a fixture brings its own.</summary>
    protected virtual (string Host, int Port) Smtp => TestInfrastructure.Smtp;

    public virtual async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync("identity");
        VirtualHost = await TestVirtualHost.CreateAsync("identity");
        Events = await EventObserver.StartAsync(BrokerUri, "identity-tests-observer-", durable: DurableObserver);
        if (StartsOnInitialize)
            _ = Server; // start now, so a broken start fails the fixture rather than the first test
    }

    /// <summary>
    /// Identity starts serving without waiting for its bus, so a request published at once could find no queue bound
    /// yet and be dropped; fixtures whose tests talk to Identity over the bus first wait until it consumes.
    /// </summary>
    protected async Task WaitUntilBusConsumesAsync()
    {
        var health = await Services.GetRequiredService<IBusControl>()
            .WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(60));
        if (health != BusHealthStatus.Healthy)
            throw new InvalidOperationException($"Identity's bus did not become healthy within 60 s ({health}).");
    }

    protected override IHost CreateHost(IHostBuilder builder) => StartFailure.BuildAndStart(builder);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ConfigureInstance(builder, DataDirectory);
        Configure(builder);
    }

    /// <summary>The settings of an instance of this deployment: its database, broker, KEK and clock.</summary>
    public void ConfigureInstance(IWebHostBuilder builder, string dataDirectory)
    {
        builder.UseSetting("ConnectionStrings:Identity", Database.ConnectionString);
        builder.UseSetting("ConnectionStrings:RabbitMq", BrokerUri.ToString());
        builder.UseSetting("Identity:Issuer", Issuer);
        builder.UseSetting("Identity:KeyEncryptionKey", KeyEncryptionKey);
        builder.UseSetting("Identity:DataDirectory", dataDirectory);
        builder.UseSetting("Identity:BootstrapAdmin:Email", AdminEmail);
        builder.UseSetting("Identity:BootstrapAdmin:Password", AdminPassword);
        builder.UseSetting("Identity:Mail:Host", Smtp.Host);
        builder.UseSetting("Identity:Mail:Port", Smtp.Port.ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("Identity:Mail:Security", "None");
        builder.UseSetting("Identity:Mail:From", "Platform <no-reply@identity.test>");
        // Every request of a test comes from one client; only the fixtures about throttling keep the real limits.
        builder.UseSetting("Identity:RateLimit:PasswordPermitLimit", "1000");
        // Tests run side by side on few cores, so a hash can wait long for its turn; only the storm fixture refuses.
        builder.UseSetting("Identity:PasswordHashing:MaxWait", "00:01:00");
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Time));
    }

    /// <summary>Another instance of this deployment (see <see cref="PeerIdentityApp"/>): the instance settings and this fixture's own.</summary>
    public void ConfigurePeer(IWebHostBuilder builder, string dataDirectory)
    {
        ConfigureInstance(builder, dataDirectory);
        Configure(builder);
    }

    /// <summary>Per-fixture settings on top of the defaults.</summary>
    protected virtual void Configure(IWebHostBuilder builder)
    {
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        // A fixture whose start failed part way has only some of them; its start failure is the one to report.
        if (Events is not null)
            await Events.DisposeAsync();
        if (VirtualHost is not null)
            await VirtualHost.DisposeAsync();
        if (Database is not null)
            await Database.DisposeAsync();
        if (Directory.Exists(DataDirectory))
            Directory.Delete(DataDirectory, recursive: true);
    }
}
