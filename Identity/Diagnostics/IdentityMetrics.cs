using System.Diagnostics.Metrics;

namespace Platform.Identity.Diagnostics;

/// <summary>
/// What an operator watches on Identity: tokens handed out, failed sign-ins and why, stolen refresh tokens caught,
/// and whether revocation events leave the outbox (or were parked there).
/// </summary>
public sealed class IdentityMetrics
{
    public const string MeterName = "Platform.Identity";

    private readonly Counter<long> _tokensIssued;
    private readonly Counter<long> _loginsFailed;
    private readonly Counter<long> _refreshReuse;
    private readonly Counter<long> _eventsPublished;
    private readonly TimeProvider _time;
    private OutboxBacklog _backlog = new(0, null, 0);

    public IdentityMetrics(IMeterFactory meterFactory, TimeProvider time)
    {
        _time = time;
        var meter = meterFactory.Create(MeterName);
        _tokensIssued = meter.CreateCounter<long>("platform.identity.tokens.issued", "{token}",
            "Access tokens issued, by grant (login or refresh).");
        _loginsFailed = meter.CreateCounter<long>("platform.identity.logins.failed", "{login}",
            "Refused sign-ins, by reason. The client always gets the same answer; only this says why.");
        _refreshReuse = meter.CreateCounter<long>("platform.identity.refresh_token.reuse_detected", "{session}",
            "Already used refresh tokens presented again: each one revoked its session as presumed theft.");
        _eventsPublished = meter.CreateCounter<long>("platform.identity.outbox.events_published", "{event}",
            "Outbox events the broker confirmed, by type.");
        meter.CreateObservableGauge("platform.identity.outbox.pending", () => Volatile.Read(ref _backlog).Pending,
            "{event}", "Outbox events not yet confirmed by the broker.");
        meter.CreateObservableGauge("platform.identity.outbox.oldest_pending_age", OldestPendingAgeSeconds,
            "s", "Age of the oldest outbox event not yet confirmed by the broker; 0 when none waits.");
        meter.CreateObservableGauge("platform.identity.outbox.parked", () => Volatile.Read(ref _backlog).Parked,
            "{event}", "Outbox events set aside after failing Identity:Outbox:MaxAttempts times; each needs an operator.");
    }

    public void TokenIssued(string grant) => _tokensIssued.Add(1, new KeyValuePair<string, object?>("grant", grant));

    public void LoginFailed(string reason) => _loginsFailed.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void RefreshReuseDetected() => _refreshReuse.Add(1);

    public void EventPublished(string type) => _eventsPublished.Add(1, new KeyValuePair<string, object?>("type", type));

    /// <summary>Set by the outbox dispatcher after each round: gauges are read synchronously and must not query.</summary>
    internal void OutboxObserved(int pending, DateTimeOffset? oldestCreatedAt, int parked) =>
        Volatile.Write(ref _backlog, new OutboxBacklog(pending, oldestCreatedAt, parked));

    private double OldestPendingAgeSeconds() =>
        Volatile.Read(ref _backlog).OldestCreatedAt is { } oldest ? Math.Max(0, (_time.GetUtcNow() - oldest).TotalSeconds) : 0;

    private sealed record OutboxBacklog(int Pending, DateTimeOffset? OldestCreatedAt, int Parked);
}

/// <summary>The tag values of <see cref="IdentityMetrics"/>, kept few so every series stays meaningful.</summary>
public static class LoginFailureReasons
{
    public const string UnknownUser = "unknown_user";
    public const string WrongPassword = "wrong_password";
    public const string LockedOut = "locked_out";
    public const string Deactivated = "deactivated";
}
