using MassTransit;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Platform.Identity.Receipts;
using Platform.Identity.Revocation;
using Platform.ServiceDefaults;
using Platform.ServiceDefaults.Messaging;

namespace Platform.Identity.Extensions;

public static class Messaging
{
    // The broker grants Identity this name (deploy/rabbitmq/permissions.sh).
    private const string GetActiveRevocationsQueue = "get-active-revocations";

    public static WebApplicationBuilder AddIdentityMessaging(this WebApplicationBuilder builder)
    {
        var broker = RabbitMqConnection.FromConfiguration(builder.Configuration);

        builder.Services.AddMassTransit(bus =>
        {
            bus.AddConsumer<GetActiveRevocationsConsumer>().ExcludeFromConfigureEndpoints();
            bus.AddReceiptConsumers();
            bus.ConfigureHealthCheckOptions(health =>
            {
                health.Name = "broker";
                // The outbox holds events while the broker is down, so a broker outage degrades, not fails, readiness.
                health.MinimalFailureStatus = HealthStatus.Degraded;
                health.Tags.Add(ServiceDefaultsExtensions.ReadyTag);
            });
            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(broker);
                rabbit.NameBusEndpoint("identity");
                // One queue shared by every Identity instance; a resource server's published catch-up request reaches
                // it through the message type's exchange. Durable and shared, so a quorum queue: RabbitMQ 4 keeps
                // classic queues for what is transient or per-instance.
                rabbit.ReceiveEndpoint(GetActiveRevocationsQueue, endpoint =>
                {
                    endpoint.SetQuorumQueue();
                    endpoint.ConfigureConsumer<GetActiveRevocationsConsumer>(context);
                });
                rabbit.ConfigureReceiptEndpoints(context);
            });
        });
        // The API serves (and the outbox queues) while the broker is unreachable.
        builder.Services.Configure<MassTransitHostOptions>(host => host.WaitUntilStarted = false);
        builder.Services.AddRevocationCatchUp();
        builder.Services.AddDeliveryReceipts();
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddHostedService<OutboxDispatcher>();
        return builder;
    }
}
