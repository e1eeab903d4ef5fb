using MassTransit;

namespace Platform.ServiceDefaults.Messaging;

public static class RabbitMqHostExtensions
{
    /// <summary>
    /// Points a MassTransit bus at the broker: host, port and virtual host, TLS checked against the host name when the
    /// scheme is <c>amqps</c>, and the credentials of the URI. For a cluster, every node: a connection tries them in
    /// the order listed and, when it is lost, reconnects to the next, so a service outlives the loss of a node.
    /// </summary>
    /// <remarks>
    /// The client checks every node's TLS certificate against one name, the first node's host: a TLS cluster's node
    /// certificates must all be valid for it (a name they share, listed first).
    /// </remarks>
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
            if (connection.IsCluster)
                host.UseCluster(cluster =>
                {
                    foreach (var node in connection.Nodes)
                        cluster.Node(node.ToString());
                });
        });
    }
}
