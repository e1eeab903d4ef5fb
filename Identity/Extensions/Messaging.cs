using MassTransit;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Platform.Identity.Revocation;
using Platform.ServiceDefaults;
using Platform.ServiceDefaults.Messaging;

namespace Platform.Identity.Extensions;

public static class Messaging
{
    public static WebApplicationBuilder AddIdentityMessaging(this WebApplicationBuilder builder)
    {
        var broker = RabbitMqConnection.FromConfiguration(builder.Configuration);

        builder.Services.AddMassTransit(bus =>
        {
            bus.SetKebabCaseEndpointNameFormatter();
            // Default binding: a resource server's publish-based request for GetActiveRevocations reaches this queue.
            bus.AddConsumer<GetActiveRevocationsConsumer>();
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
                rabbit.ConfigureEndpoints(context);
            });
        });
        // The API serves (and the outbox queues) while the broker is unreachable.
        builder.Services.Configure<MassTransitHostOptions>(host => host.WaitUntilStarted = false);
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddHostedService<OutboxDispatcher>();
        return builder;
    }
}
