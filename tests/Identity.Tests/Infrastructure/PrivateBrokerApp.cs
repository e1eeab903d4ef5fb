namespace Platform.Identity.Tests.Infrastructure;

/// <summary>Identity on a private broker node the test can stop and start.</summary>
public sealed class PrivateBrokerApp : IdentityApp
{
    public PrivateRabbitMq Broker { get; private set; } = null!;

    protected override Uri BrokerUri => Broker.AmqpUri;

    protected override bool DurableObserver => true;

    public override async Task InitializeAsync()
    {
        Broker = await PrivateRabbitMq.StartAsync();
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Broker is not null)
            await Broker.DisposeAsync();
    }
}
