using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Platform.ServiceDefaults;

namespace Platform.ResourceServer.Diagnostics;

internal static class DiagnosticsRegistration
{
    /// <summary>The resource server's metrics (ConfigureJwtBearer counts refused tokens on them) and the signing-keys readiness check.</summary>
    public static IServiceCollection AddResourceServerDiagnostics(this IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton(sp => new ResourceServerMetrics(sp.GetRequiredService<IMeterFactory>(), sp.GetRequiredService<TimeProvider>()));
        services.AddHealthChecks().AddCheck<SigningKeysReadiness>("signing-keys", tags: [ServiceDefaultsExtensions.ReadyTag], timeout: TimeSpan.FromSeconds(10));
        return services;
    }
}
