using MassTransit;
using System.Text;

namespace Platform.ServiceDefaults.Messaging;

/// <summary>
/// Names of the queues a process owns: <c>&lt;service&gt;-&lt;purpose&gt;-&lt;host&gt;-&lt;32 hex digits&gt;</c>. The service
/// prefix lets the broker grant each service exactly its own queues (deploy/rabbitmq/permissions.sh matches this
/// shape), and the random suffix keeps instances apart and makes one instance's queue unguessable to another.
/// </summary>
public static class EndpointNames
{
    public static string ForInstance(string serviceName, string purpose) => ForInstance(serviceName, purpose, NewInstanceSuffix());

    /// <param name="instanceSuffix">From <see cref="NewInstanceSuffix"/>, when a process names more than its queue after itself.</param>
    public static string ForInstance(string serviceName, string purpose, string instanceSuffix)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceName);
        ArgumentException.ThrowIfNullOrWhiteSpace(purpose);
        ArgumentException.ThrowIfNullOrWhiteSpace(instanceSuffix);
        return $"{serviceName}-{purpose}-{instanceSuffix}";
    }

    /// <summary><c>&lt;host&gt;-&lt;32 hex digits&gt;</c>: the part of an instance's names that tells it from every other instance.</summary>
    public static string NewInstanceSuffix() => $"{HostPart(Environment.MachineName)}-{Guid.NewGuid():N}";

    /// <summary>
    /// Replaces MassTransit's generated bus endpoint name (<c>host_process_bus_id</c>, which says nothing of the
    /// service) with one of this service's own; request responses arrive there.
    /// </summary>
    public static void NameBusEndpoint(this IRabbitMqBusFactoryConfigurator configurator, string serviceName)
    {
        ArgumentNullException.ThrowIfNull(configurator);
        configurator.OverrideDefaultBusEndpointQueueName(ForInstance(serviceName, "bus"));
        // Transient and of this connection alone, as MassTransit makes it by default, stated here because RabbitMQ 4
        // refuses a transient queue that is not exclusive (deprecated_features.permit.transient_nonexcl_queues = false).
        configurator.Exclusive = true;
    }

    // Lower-case letters, digits and dashes only, whatever the machine is called.
    private static string HostPart(string machineName)
    {
        var name = new StringBuilder(machineName.Length);
        foreach (var c in machineName.ToLowerInvariant())
            name.Append(c is (>= 'a' and <= 'z') or (>= '0' and <= '9') ? c : '-');
        return name.Length == 0 ? "host" : name.ToString();
    }
}
