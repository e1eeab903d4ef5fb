using MassTransit;
using Platform.ResourceServer.Receipts;
using Platform.ResourceServer.Storage;
using Platform.ServiceDefaults.Messaging;

namespace Platform.ResourceServer.Revocation;

internal static class RevocationBus
{
    private static readonly TimeSpan InstanceQueueExpiry = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Two endpoints: a queue of this process (every instance sees every event) feeding the deny-list, and the
    /// service's durable shared queue feeding the table (one instance stores each event; nothing is lost while all are down).
    /// </summary>
    public static IServiceCollection AddRevocationBus(this IServiceCollection services, string serviceName,
        RabbitMqConnection broker, Action<IBusRegistrationConfigurator>? configureBus)
    {
        var instance = new ResourceServerInstance(serviceName);
        var storeQueue = $"{serviceName}-revocation-store";

        services.Configure<MassTransitHostOptions>(options =>
        {
            options.WaitUntilStarted = true;
            options.StartTimeout = TimeSpan.FromSeconds(60);
            options.StopTimeout = TimeSpan.FromSeconds(15);
        });
        services.AddSingleton<BusReconnects>();
        services.AddSingleton(instance);
        services.AddSingleton<ReceiptBuffer>();
        services.AddSingleton<ReceiptFilter>();
        services.AddMassTransit(bus =>
        {
            bus.AddConsumer<DenyListConsumer>().ExcludeFromConfigureEndpoints();
            bus.AddConsumer<SigningKeyRevokedConsumer>().ExcludeFromConfigureEndpoints();
            bus.AddConsumer<RevocationStoreConsumer>().ExcludeFromConfigureEndpoints();
            // No address: the request is published and whichever Identity instance is up answers.
            bus.AddRequestClient<GetActiveRevocations>();
            configureBus?.Invoke(bus);

            bus.UsingRabbitMq((context, cfg) =>
            {
                cfg.Host(broker);
                cfg.NameBusEndpoint(serviceName);

                cfg.ReceiveEndpoint(instance.RevocationQueue, endpoint =>
                {
                    // A quorum queue: replicated, so the events published while this instance reconnects outlive a
                    // broker restart and, on a cluster, the loss of the node that led the queue (a classic queue lives
                    // on one node and is gone with it); an auto-deleted queue would vanish with the broker and those
                    // events would reach only the table, never this instance's deny-list. The broker deletes the
                    // queue once no instance has used it for the expiry, so a stopped instance leaves nothing behind.
                    endpoint.SetQuorumQueue();
                    endpoint.AutoDelete = false;
                    endpoint.Durable = true;
                    endpoint.QueueExpiration = InstanceQueueExpiry;
                    // Applying an event is a dictionary write; with MassTransit's default prefetch (twice the cores) a
                    // burst of ten thousand waits on acknowledgement round trips rather than on the work.
                    endpoint.PrefetchCount = 500;
                    // A message that fails lands in the endpoint's _error queue; no one handles a Fault<T> of a
                    // revocation, and the service's broker user may publish nothing but the catch-up request, its
                    // delivery receipts and its heartbeats.
                    endpoint.PublishFaults = false;
                    endpoint.ConfigureConsumer<DenyListConsumer>(context);
                    endpoint.ConfigureConsumer<SigningKeyRevokedConsumer>(context);
                    endpoint.ConnectReceiveEndpointObserver(context.GetRequiredService<BusReconnects>());
                    if (context.GetRequiredService<IOptions<ResourceServerOptions>>().Value.DeliveryReceipts)
                        endpoint.UseFilter(context.GetRequiredService<ReceiptFilter>());
                });
                cfg.ReceiveEndpoint(storeQueue, endpoint =>
                {
                    // Durable and shared by every instance: a quorum queue, the kind RabbitMQ 4 keeps for that.
                    endpoint.SetQuorumQueue();
                    endpoint.PublishFaults = false;
                    endpoint.UseMessageRetry(retry => retry.Exponential(10, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(2)));
                    endpoint.ConfigureConsumer<RevocationStoreConsumer>(context);
                });
                cfg.ConfigureEndpoints(context);
            });
        });
        return services;
    }
}
