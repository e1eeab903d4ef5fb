using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Platform.ResourceServer.Diagnostics;

/// <summary>
/// Ready once Identity's signing keys are held: an instance without them would refuse every token. Asks JwtBearer's
/// own ConfigurationManager, which answers from its cache once it has keys, so an Identity outage after start does
/// not fail readiness (validation goes on with the cached keys).
/// </summary>
internal sealed class SigningKeysReadiness(IOptionsMonitor<JwtBearerOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (options.Get(JwtBearerDefaults.AuthenticationScheme).ConfigurationManager is not { } manager)
            return HealthCheckResult.Unhealthy("No discovery document is configured.");
        try
        {
            var configuration = await manager.GetConfigurationAsync(cancellationToken);
            return configuration.SigningKeys.Count > 0
                ? HealthCheckResult.Healthy($"{configuration.SigningKeys.Count} signing key(s) held.")
                : HealthCheckResult.Unhealthy("Identity's JWKS holds no key.");
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The exception's text can carry URLs and IdentityModel internals; the status is what a probe needs.
            return HealthCheckResult.Unhealthy("Identity's signing keys could not be fetched yet.");
        }
    }
}
