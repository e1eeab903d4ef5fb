using MassTransit;

namespace Platform.Identity.Receipts;

/// <summary>Where Identity hears from resource-server instances: their delivery receipts and their heartbeats.</summary>
public static class ReceiptsBus
{
    // The broker grants Identity these names (deploy/rabbitmq/permissions.sh).
    private const string ReceiptsQueue = "revocation-receipts";
    private const string HeartbeatsQueue = "instance-heartbeats";

    private const int HeartbeatBatch = 200;

    public static IServiceCollection AddDeliveryReceipts(this IServiceCollection services)
    {
        services.AddOptions<ReceiptOptions>().BindConfiguration(ReceiptOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ReceiptOptions>, ReceiptOptionsValidator>();
        services.AddHostedService<ReceiptPurge>();
        return services;
    }

    public static void AddReceiptConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<RevocationReceiptConsumer>().ExcludeFromConfigureEndpoints();
        bus.AddConsumer<InstanceHeartbeatConsumer>(consumer => consumer.Options<BatchOptions>(batch => batch
            .SetMessageLimit(HeartbeatBatch).SetTimeLimit(TimeSpan.FromMilliseconds(200)))).ExcludeFromConfigureEndpoints();
    }

    /// <summary>
    /// Two queues shared by every Identity instance, so each receipt is stored once: durable and shared, hence quorum
    /// queues. Receipts already come a few hundred to a message, each message stored by one statement, one at a time per
    /// Identity instance: a bulk's receipts never hold more than one database connection while its events dispatch.
    /// The heartbeats' prefetch lets a whole batch arrive before its time limit.
    /// </summary>
    public static void ConfigureReceiptEndpoints(this IRabbitMqBusFactoryConfigurator rabbit, IBusRegistrationContext context)
    {
        rabbit.ReceiveEndpoint(ReceiptsQueue, endpoint =>
        {
            endpoint.SetQuorumQueue();
            endpoint.ConcurrentMessageLimit = 1;
            endpoint.PublishFaults = false;
            endpoint.UseMessageRetry(retry => retry.Exponential(5, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(2)));
            endpoint.ConfigureConsumer<RevocationReceiptConsumer>(context);
        });
        rabbit.ReceiveEndpoint(HeartbeatsQueue, endpoint =>
        {
            endpoint.SetQuorumQueue();
            endpoint.PrefetchCount = HeartbeatBatch;
            endpoint.PublishFaults = false;
            endpoint.ConfigureConsumer<InstanceHeartbeatConsumer>(context);
        });
    }
}
