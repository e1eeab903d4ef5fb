using MassTransit;

namespace Platform.Benchmarks.WholeSystem;

/// <summary>A MassTransit bus of the benchmark itself on one test virtual host, as the services connect to it.</summary>
public static class VirtualHostBus
{
    public static IBusControl Create(TestVirtualHost virtualHost, Action<IRabbitMqBusFactoryConfigurator>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(virtualHost);
        var amqp = virtualHost.AmqpUri;
        return Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            var credentials = amqp.UserInfo.Split(':', 2);
            cfg.Host(amqp.Host, (ushort)amqp.Port, Uri.UnescapeDataString(amqp.AbsolutePath.TrimStart('/')), h =>
            {
                h.Username(Uri.UnescapeDataString(credentials[0]));
                h.Password(Uri.UnescapeDataString(credentials[1]));
            });
            configure?.Invoke(cfg);
        });
    }
}
