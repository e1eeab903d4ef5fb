using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Platform.ServiceDefaults.Health;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.OpenApi;
using Platform.ServiceDefaults.Telemetry;

namespace Platform.ServiceDefaults;

/// <summary>The defaults every service of the platform composes in its Program.cs.</summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>The tag a health check carries to take part in <c>/health/ready</c>.</summary>
    public const string ReadyTag = "ready";

    /// <summary>The tag of checks that only say the process answers (<c>/health/live</c>).</summary>
    public const string LiveTag = "live";

    /// <summary>
    /// OpenTelemetry (traces, metrics, logs), the liveness check, the OpenAPI document, and the security headers on
    /// every response (nosniff, no-store unless the endpoint sets its caching, no Server banner), and a request log
    /// that never shows a credential from the query string.
    /// </summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ConfigurePlatformTelemetry();
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        builder.Services.AddPlatformOpenApi(builder.Environment.ApplicationName);
        builder.Services.AddPlatformSecurityHeaders();
        // One request log with credentials masked in the query, in place of the hosting log's raw URLs.
        builder.Logging.AddFilter(RequestLog.HostingCategory, LogLevel.Warning);
        builder.Services.AddTransient<IStartupFilter, RequestLog.StartupFilter>();
        return builder;
    }

    /// <summary>
    /// <c>/health/live</c>, <c>/health/ready</c> and <c>/openapi/v1.json</c>, open to anyone (a resource server's
    /// fallback policy would otherwise demand a token), and the Scalar UI at <c>/scalar</c> in Development.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPlatformHealthEndpoints();
        app.MapPlatformOpenApi();
        return app;
    }
}
