using Microsoft.AspNetCore.Identity;

namespace Platform.Identity.Tests.Cluster;

/// <summary>
/// Identity on a private three-node RabbitMQ cluster that the test may break, connected through the node list as a
/// deployment would be; on the real clock, since the outbox's retry schedule runs on it, and with cheap password
/// hashing, so dozens of users sign up in seconds.
/// </summary>
public sealed class ClusterIdentityApp : IdentityApp
{
    public PrivateRabbitMqCluster Cluster { get; private set; } = null!;

    // The test's own observer follows the last node only; the services follow the cluster.
    protected override Uri BrokerUri => Cluster.NodeUri(Cluster.Size - 1);

    // The cluster refuses a transient queue that is not exclusive, as the compose broker does.
    protected override bool DurableObserver => true;

    public override async Task InitializeAsync()
    {
        Cluster = await PrivateRabbitMqCluster.StartAsync();
        await base.InitializeAsync();
    }

    protected override void Configure(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:RabbitMq", Cluster.ConnectionString);
        builder.UseSetting("Identity:RateLimit:PermitLimit", "100000");
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton(TimeProvider.System);
            services.Configure<PasswordHasherOptions>(hasher => hasher.IterationCount = 1_000);
        });
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Cluster is not null)
            await Cluster.DisposeAsync();
    }
}
