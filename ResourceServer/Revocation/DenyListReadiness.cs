using Microsoft.Extensions.Diagnostics.HealthChecks;
using Platform.ResourceServer.Diagnostics;

namespace Platform.ResourceServer.Revocation;

/// <summary>
/// Unhealthy until the deny-list holds what was persisted. Then Healthy only while it is caught up with Identity and
/// within capacity; otherwise Degraded, saying which (<c>revocations: stale</c>, <c>deny-list over capacity</c>).
/// </summary>
/// <remarks>
/// An instance whose catch-up Identity did not answer still serves (Degraded is ready): an Identity outage must not
/// take every API out of rotation, and what it holds (the table, and every event since its queue was bound) is most
/// of the truth. It never reports Healthy, nor the stale gauge 0, before Identity has answered.
/// </remarks>
public sealed class DenyListReadiness(DenyList denyList, ResourceServerMetrics metrics) : IHealthCheck
{
    private volatile bool _loaded;
    private volatile bool _caughtUp;

    public bool IsCaughtUp => _caughtUp;

    /// <summary>Whether the revocations from before the start are loaded, from the table at least.</summary>
    public bool IsLoaded => _loaded;

    /// <param name="caughtUp">Whether Identity answered the catch-up, or only the table was loaded.</param>
    internal void MarkLoaded(bool caughtUp)
    {
        SetCaughtUp(caughtUp);
        _loaded = true;
    }

    internal void MarkCaughtUp() => SetCaughtUp(true);

    /// <summary>Events may have been missed (the broker connection was lost) until the next catch-up answer.</summary>
    internal void MarkStale() => SetCaughtUp(false);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!_loaded)
            return Task.FromResult(HealthCheckResult.Unhealthy("Deny-list not loaded yet."));

        var problems = new List<string>();
        var data = new Dictionary<string, object>();
        if (!_caughtUp)
        {
            problems.Add("revocations: stale (Identity has not answered the catch-up; retrying)");
            data["revocations"] = "stale";
        }

        if (denyList.IsOverCapacity)
        {
            problems.Add($"deny-list over capacity ({denyList.Count} entries, MaxEntries {denyList.MaxEntries})");
            data["capacity"] = "over";
        }

        return Task.FromResult(problems.Count == 0
            ? HealthCheckResult.Healthy("Deny-list loaded and caught up with Identity.")
            : HealthCheckResult.Degraded("Deny-list loaded; " + string.Join("; ", problems) + ".", data: data));
    }

    private void SetCaughtUp(bool caughtUp)
    {
        _caughtUp = caughtUp;
        metrics.RevocationsStale(!caughtUp);
    }
}
