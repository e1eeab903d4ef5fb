using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Platform.Identity.Outbox;

/// <summary>
/// Degraded, not Unhealthy, when events wait too long or were parked: the usual cause of waiting is a broker outage,
/// during which the API must keep serving (the outbox holds the events); taking Identity out of rotation would only add
/// a login outage. A parked event needs an operator, so it keeps readiness Degraded (<c>outbox.parked = N</c>) until
/// dealt with. Operators also see the <c>platform.identity.outbox.oldest_pending_age</c> and <c>.parked</c> gauges.
/// </summary>
internal sealed class OutboxHealthCheck(IServiceScopeFactory scopes, TimeProvider time, IOptions<IdentityServiceOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var unsent = scope.ServiceProvider.GetRequiredService<IdentityDb>().OutboxMessages.Where(m => m.SentAt == null);
        var parked = await unsent.CountAsync(m => m.ParkedAt != null, cancellationToken);
        var oldest = await unsent.Where(m => m.ParkedAt == null).MinAsync(m => (DateTimeOffset?)m.CreatedAt, cancellationToken);

        var age = oldest is null ? TimeSpan.Zero : time.GetUtcNow() - oldest.Value;
        var limit = options.Value.Outbox.ReadinessMaxPendingAge;
        var waiting = oldest is null
            ? "No event waits."
            : $"The oldest unsent event waits for {Math.Max(0, age.TotalSeconds):F0} s" + (age > limit ? $" (limit {limit.TotalSeconds:F0} s)." : ".");
        if (parked > 0)
        {
            return new HealthCheckResult(context.Registration.FailureStatus,
                $"outbox.parked = {parked}: events that could not be published were set aside and need an operator. {waiting}",
                data: new Dictionary<string, object> { ["outbox.parked"] = parked });
        }

        return age > limit
            ? new HealthCheckResult(context.Registration.FailureStatus, waiting)
            : HealthCheckResult.Healthy(waiting);
    }
}
