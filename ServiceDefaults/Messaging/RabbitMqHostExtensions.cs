using MassTransit;

namespace Platform.ServiceDefaults.Messaging;

public static class RabbitMqHostExtensions
{
    /// <summary>
    /// Points a MassTransit bus at the broker: host, port and virtual host, TLS checked against the host name when the
    /// scheme is <c>amqps</c>, and the credentials of the URI.
    /// </summary>
    public static void Host(this IRabbitMqBusFactoryConfigurator configurator, RabbitMqConnection connection)
    {
        ArgumentNullException.ThrowIfNull(configurator);
        ArgumentNullException.ThrowIfNull(connection);
        configurator.Host(connection.Host, connection.Port, connection.VirtualHost, host =>
        {
            if (connection.UseTls)
                host.UseSsl(ssl => ssl.ServerName = connection.Host);
            if (connection.Username is not null)
                host.Username(connection.Username);
            if (connection.Password is not null)
                host.Password(connection.Password);
        });
    }
}
