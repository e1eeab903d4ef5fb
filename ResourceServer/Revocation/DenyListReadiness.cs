using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Platform.ResourceServer.Revocation;

/// <summary>Ready once the deny-list holds what was persisted and what Identity answered (or Identity timed out).</summary>
public sealed class DenyListReadiness : IHealthCheck
{
    private volatile bool _loaded;

    internal void MarkLoaded() => _loaded = true;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_loaded
            ? HealthCheckResult.Healthy("Deny-list loaded.")
            : HealthCheckResult.Unhealthy("Deny-list not loaded yet."));
}
