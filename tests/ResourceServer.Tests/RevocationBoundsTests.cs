using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using Platform.ResourceServer.Storage;
using static Platform.ResourceServer.Tests.RevocationFeedTests;

namespace Platform.ResourceServer.Tests;

/// <summary>
/// Revocation events over the real broker are taken only within bounds: dated no further ahead than the clock skew,
/// with fields of the shape Identity sends. Each test has its own environment and one instance, so it knows which
/// consumer saw which event.
/// </summary>
public sealed class RevocationBoundsTests : IAsyncLifetime
{
    private const string Refused = "platform.revocation.events.refused";

    private ApiEnvironment _environment = null!;
    private ResourceServerApp _app = null!;
    private MetricRecorder _metrics = null!;

    public async Task InitializeAsync()
    {
        _environment = await ApiEnvironment.CreateAsync("resource-server-bounds");
        _app = await ResourceServerApp.StartAsync(_environment.ResourceServerSettings(ResourceServerApp.Section));
        await _app.WaitUntilReadyAsync();
        _metrics = new MetricRecorder(_app.Get<IMeterFactory>(), ResourceServerMetrics.MeterName);
    }

    [Fact]
    public async Task A_deactivation_dated_a_day_ahead_is_neither_applied_nor_stored_and_the_users_token_keeps_working()
    {
        var user = Guid.NewGuid();
        var token = _environment.Issuer.Mint(user, change: (_, c) => c["iat"] = DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds());

        await _environment.Identity.PublishAsync(new UserDeactivated(user, DateTimeOffset.UtcNow.AddDays(1), "test"));

        // One refusal by the instance queue's consumer and one by the store queue's: both have seen it.
        await Eventually.HoldsAsync(() => _metrics.Values(Refused, ("reason", "future")).Count == 2,
            "both consumers to refuse the future-dated deactivation");
        Assert.Null(_app.Get<DenyList>().UserCutoff(user));
        Assert.Equal(HttpStatusCode.OK, await Status(_app, token));
        Assert.Equal(0, await PersistedCountAsync(user));
    }

    [Fact]
    public async Task A_deactivation_dated_slightly_ahead_within_the_clock_skew_is_applied_and_stored()
    {
        var user = Guid.NewGuid();
        var token = _environment.Issuer.Mint(user, change: (_, c) => c["iat"] = DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds());

        await _environment.Identity.PublishAsync(new UserDeactivated(user, DateTimeOffset.UtcNow.AddSeconds(10), "test"));

        await Eventually.HoldsAsync(async () => await Status(_app, token) == HttpStatusCode.Unauthorized,
            "the slightly-future deactivation to refuse the user's token");
        await Eventually.HoldsAsync(async () => await PersistedCountAsync(user) == 1, "the deactivation to be stored");
        Assert.Empty(_metrics.Values(Refused));
    }

    [Fact]
    public async Task A_session_revocation_with_an_oversized_reason_is_neither_applied_nor_stored()
    {
        var user = Guid.NewGuid();
        var session = Guid.NewGuid();
        var token = _environment.Issuer.Mint(user, session);

        await _environment.Identity.PublishAsync(new SessionRevoked(session, user, DateTimeOffset.UtcNow, new string('x', 10_000)));

        await Eventually.HoldsAsync(() => _metrics.Values(Refused, ("reason", "shape")).Count == 2,
            "both consumers to refuse the oversized session revocation");
        Assert.Equal(HttpStatusCode.OK, await Status(_app, token));
        Assert.Equal(0, await PersistedCountAsync(session));
    }

    [Fact]
    public async Task A_catch_up_larger_than_the_deny_list_capacity_stops_there_and_the_instance_stays_stale()
    {
        const int capacity = 1_000;
        var at = DateTimeOffset.UtcNow.AddMinutes(-1);
        _environment.Identity.PageSize = 300;
        for (var i = 0; i <= capacity; i++)
        {
            var other = Guid.NewGuid();
            _environment.Identity.ActiveUsers[other] = at;
        }

        var settings = _environment.ResourceServerSettings(ResourceServerApp.Section);
        settings[ResourceServerApp.Section + ":MaxEntries"] = capacity.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var small = await ResourceServerApp.StartAsync(settings);
        await small.WaitUntilReadyAsync();

        var (_, status, description) = await CatchUpStalenessTests.DenyListHealthAsync(small);
        Assert.Equal("Degraded", status);
        Assert.Contains("revocations: stale", description, StringComparison.Ordinal);
        // The pages before the one that crossed the capacity, and no more: memory stays bounded by MaxEntries.
        Assert.Equal(900, small.Get<DenyList>().Count);
    }

    private async Task<int> PersistedCountAsync(Guid subject)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<RevocationDbContext>().Revocations.CountAsync(r => r.SubjectId == subject);
    }

    public async Task DisposeAsync()
    {
        _metrics.Dispose();
        await _app.DisposeAsync();
        await _environment.DisposeAsync();
    }
}
