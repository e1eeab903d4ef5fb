using Platform.ServiceDefaults.Messaging;

namespace Platform.ResourceServer.Receipts;

/// <summary>
/// This process as Identity sees it in receipts and heartbeats: <c>&lt;service&gt;-&lt;host&gt;-&lt;32 hex digits&gt;</c>,
/// the same host and random part that name its own revocation queue, new on every start.
/// </summary>
public sealed class ResourceServerInstance
{
    public ResourceServerInstance(string service)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        var suffix = EndpointNames.NewInstanceSuffix();
        Service = service;
        Id = $"{service}-{suffix}";
        RevocationQueue = EndpointNames.ForInstance(service, "revocations", suffix);
    }

    public string Service { get; }

    public string Id { get; }

    /// <summary>The queue every revocation reaches this instance through.</summary>
    public string RevocationQueue { get; }
}
