using System.Diagnostics;

namespace Platform.Identity.Diagnostics;

/// <summary>Identity's own spans; the name starts with "Platform." so the service defaults export it.</summary>
internal static class IdentityActivities
{
    public const string SourceName = "Platform.Identity";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>The W3C traceparent of the current span, to be stored with work that runs later elsewhere.</summary>
    public static string? CurrentTraceParent() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;

    /// <summary>
    /// A span whose parent is the one that wrote the outbox row, so MassTransit's publish (and every consumer after
    /// it) joins the trace of the request that caused the event, not the dispatcher's background loop.
    /// </summary>
    public static Activity? StartDispatch(string type, Guid messageId, string? traceParent)
    {
        ActivityContext.TryParse(traceParent, null, out var parent);
        var activity = Source.StartActivity($"outbox dispatch {type}", ActivityKind.Internal, parent);
        activity?.SetTag("messaging.message.id", messageId.ToString());
        activity?.SetTag("platform.outbox.type", type);
        return activity;
    }
}
