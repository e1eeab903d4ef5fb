using System.Collections.ObjectModel;
using System.Diagnostics;
using OpenTelemetry.Trace;

namespace Platform.Identity.Tests.Observability;

/// <summary>Identity whose own OpenTelemetry pipeline also exports every finished span to memory.</summary>
public sealed class TracedIdentityApp : IdentityApp
{
    public SpanLog Spans { get; } = new();

    protected override void Configure(IWebHostBuilder builder) =>
        builder.ConfigureTestServices(services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(Spans)));
}

/// <summary>The exporter appends from its own thread while a test reads: both go through one lock.</summary>
public sealed class SpanLog : Collection<Activity>
{
    private readonly Lock _lock = new();

    public IReadOnlyList<Activity> Snapshot()
    {
        lock (_lock)
            return [.. this];
    }

    protected override void InsertItem(int index, Activity item)
    {
        lock (_lock)
            base.InsertItem(index, item);
    }
}
