using System.Text.Json;
using Platform.Identity.Diagnostics;

namespace Platform.Identity.Data;

/// <summary>An event written in the same transaction as the state change it announces.</summary>
public sealed class OutboxMessage
{
    public const int MaxErrorLength = 500;

    public Guid Id { get; set; }

    public required string Type { get; set; }

    public required string Payload { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    /// <summary>Failed publishing attempts so far; at <see cref="OutboxOptions.MaxAttempts"/> the row is parked.</summary>
    public int Attempts { get; set; }

    /// <summary>A row that failed is not tried again before this, so it cannot hold up the rows behind it.</summary>
    public DateTimeOffset? NextAttemptAt { get; set; }

    /// <summary>
    /// Set when the row failed <see cref="OutboxOptions.MaxAttempts"/> times: it is no longer tried, nor deleted by the
    /// retention cleanup, until an operator clears it (with <see cref="Attempts"/>) after fixing the cause.
    /// </summary>
    public DateTimeOffset? ParkedAt { get; set; }

    /// <summary>Why the last attempt failed, in the dispatcher's words; never any of the payload.</summary>
    public string? LastError { get; set; }

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
