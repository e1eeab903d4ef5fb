using System.Text.Json;
using Platform.Identity.Diagnostics;

namespace Platform.Identity.Data;

/// <summary>An event written in the same transaction as the state change it announces.</summary>
public sealed class OutboxMessage
{
    public Guid Id { get; set; }

    public required string Type { get; set; }

    public required string Payload { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    public int Attempts { get; set; }

    /// <summary>
    /// The W3C traceparent of the request that wrote the row. The dispatcher publishes later on its own thread;
    /// this is how the event's trace continues from the operator's call instead of starting afresh.
    /// </summary>
    public string? TraceParent { get; set; }

    public static OutboxMessage For<T>(T message, DateTimeOffset now) where T : class => new()
    {
        Id = Guid.CreateVersion7(now),
        Type = typeof(T).Name,
        Payload = JsonSerializer.Serialize(message),
        CreatedAt = now,
        TraceParent = IdentityActivities.CurrentTraceParent(),
    };
}
