namespace Platform.EndToEnd.Tests.Stack;

/// <summary>
/// What a fault scenario's own stack needs beyond the shared one: servers it may stop without disturbing other
/// tests, and settings (short key propagation, verbose logging) that would slow or flood the shared stack.
/// </summary>
public sealed record StackOptions
{
    /// <summary>The services talk to a RabbitMQ node of this stack's own, which the scenario may stop and start.</summary>
    public bool PrivateBroker { get; init; }

    /// <summary>Orders' database lives on a PostgreSQL server of this stack's own, which the scenario may stop and start.</summary>
    public bool PrivateOrdersDatabase { get; init; }

    /// <summary>How many Identity processes run on the one database behind the front.</summary>
    public int IdentityInstances { get; init; } = 2;

    public IReadOnlyDictionary<string, string> IdentitySettings { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> OrdersSettings { get; init; } = new Dictionary<string, string>();

    /// <summary>The same settings for both services, e.g. log levels.</summary>
    public IReadOnlyDictionary<string, string> CommonSettings { get; init; } = new Dictionary<string, string>();
}

/// <summary>Fault scenarios each start a whole stack; run one at a time so two cores are not shared by four services.</summary>
[CollectionDefinition(Name)]
public sealed class FaultStackCollection
{
    public const string Name = "fault stacks";
}
