using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Platform.Identity.Outbox;

/// <summary>
/// Degraded, not Unhealthy, when events wait too long: the usual cause is a broker outage, during which the API must
/// keep serving (the outbox holds the events); taking Identity out of rotation would only add a login outage.
/// Operators see the state in the readiness body and the <c>platform.identity.outbox.oldest_pending_age</c> gauge.
/// </summary>
internal sealed class OutboxHealthCheck(IServiceScopeFactory scopes, TimeProvider time, IOptions<IdentityServiceOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var oldest = await scope.ServiceProvider.GetRequiredService<IdentityDb>().OutboxMessages
            .Where(m => m.SentAt == null)
            .MinAsync(m => (DateTimeOffset?)m.CreatedAt, cancellationToken);
        if (oldest is null)
            return HealthCheckResult.Healthy("No event waits.");

        var age = time.GetUtcNow() - oldest.Value;
        var limit = options.Value.Outbox.ReadinessMaxPendingAge;
        return age > limit
            ? new HealthCheckResult(context.Registration.FailureStatus, $"The oldest unsent event waits for {age.TotalSeconds:F0} s (limit {limit.TotalSeconds:F0} s).")
            : HealthCheckResult.Healthy($"The oldest unsent event waits for {Math.Max(0, age.TotalSeconds):F0} s.");
    }
}
