using MassTransit;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Platform.Identity.Outbox;
using Platform.Identity.Revocation;
using Platform.ServiceDefaults;

namespace Platform.Identity.Hosting;

public static class Messaging
{
    public static WebApplicationBuilder AddIdentityMessaging(this WebApplicationBuilder builder)
    {
        var connection = builder.Configuration.GetConnectionString("RabbitMq");
        if (string.IsNullOrWhiteSpace(connection) || !Uri.TryCreate(connection, UriKind.Absolute, out var uri) || uri.Scheme is not ("amqp" or "amqps"))
            throw new InvalidOperationException("ConnectionStrings:RabbitMq (ConnectionStrings__RabbitMq) must be an amqp://user:pass@host:port/vhost URI.");

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
                var credentials = uri.UserInfo.Split(':', 2);
                var host = new UriBuilder(uri) { UserName = "", Password = "" }.Uri;
                rabbit.Host(host, h =>
                {
                    if (credentials[0].Length > 0)
                        h.Username(Uri.UnescapeDataString(credentials[0]));
                    if (credentials.Length > 1)
                        h.Password(Uri.UnescapeDataString(credentials[1]));
                });
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
