using Microsoft.Extensions.Logging;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Platform.ServiceDefaults.Http;

namespace Platform.ServiceDefaults.Telemetry;

public static class TelemetryExtensions
{
    /// <summary>The platform's own ActivitySources and Meters all start with this.</summary>
    public const string PlatformPrefix = "Platform.*";

    /// <summary>MassTransit's ActivitySource and Meter (its DiagnosticHeaders.DefaultListenerName).</summary>
    public const string MassTransitSource = "MassTransit";

    /// <summary>IdentityModel's meter: its <c>IdentityModelConfigurationManager</c> counter counts discovery/JWKS
    /// refreshes by status, which is how a resource server's key refreshes become visible.</summary>
    public const string IdentityModelMeter = "MicrosoftIdentityModel_Meter";

    /// <summary>
    /// Traces, metrics and logs through OpenTelemetry. Nothing leaves the process unless the standard
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set; then OTLP carries all three.
    /// </summary>
    public static TBuilder ConfigurePlatformTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource =>
            {
                // OTEL_SERVICE_NAME, when set, names the service; otherwise the assembly does.
                if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_SERVICE_NAME"]))
                    resource.AddService(builder.Environment.ApplicationName);
            })
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddNpgsqlInstrumentation()
                .AddMeter(MassTransitSource, IdentityModelMeter, PlatformPrefix))
            .WithTracing(tracing => tracing
                .AddSource(MassTransitSource, PlatformPrefix)
                .AddAspNetCoreInstrumentation(aspNetCore =>
                {
                    // Probes every few seconds would drown the traces that matter.
                    aspNetCore.Filter = context => !context.Request.Path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase);
                    // The query string can carry anything a client put there; the path and route are enough.
                    aspNetCore.EnrichWithHttpRequest = (activity, _) => activity.SetTag("url.query", null);
                })
                .AddHttpClientInstrumentation(httpClient =>
                {
                    // Outgoing URLs get the same masking as the request log: credentials never leave in a span.
                    httpClient.EnrichWithHttpRequestMessage = (activity, request) =>
                    {
                        if (request.RequestUri is { } uri && !string.IsNullOrEmpty(uri.Query))
                            activity.SetTag("url.full", QueryRedaction.Redact(uri));
                    };
                })
                .AddNpgsql());

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
            telemetry.UseOtlpExporter();
        return builder;
    }
}
