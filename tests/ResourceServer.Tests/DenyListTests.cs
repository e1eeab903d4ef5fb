using System.Diagnostics.Metrics;

namespace Platform.ResourceServer.Tests;

public sealed class DenyListTests : IDisposable
{
    private static readonly TimeSpan Retention = TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(30);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly DenyList _list;

    public DenyListTests() =>
        _list = new DenyList(_time, new ResourceServerMetrics(_services.GetRequiredService<IMeterFactory>(), _time), Retention);

    private static long Unix(DateTimeOffset at) => at.ToUnixTimeSeconds();

    [Fact]
    public void Deactivation_rejects_tokens_issued_at_or_before_it_rounded_up_to_the_second()
    {
        var user = Guid.NewGuid();
        var at = _time.GetUtcNow().AddMilliseconds(200);
        _list.DeactivateUser(user, at);

        Assert.True(_list.IsRevoked(user, Guid.NewGuid(), Unix(at) - 60));
        Assert.True(_list.IsRevoked(user, Guid.NewGuid(), Unix(at)));
        Assert.True(_list.IsRevoked(user, Guid.NewGuid(), Unix(at) + 1)); // same second as the event, rounded up
        Assert.False(_list.IsRevoked(user, Guid.NewGuid(), Unix(at) + 2));
        Assert.False(_list.IsRevoked(Guid.NewGuid(), Guid.NewGuid(), Unix(at) - 60));
    }

    [Fact]
    public void Later_deactivation_of_the_same_user_keeps_the_latest_and_an_older_one_changes_nothing()
    {
        var user = Guid.NewGuid();
        var first = _time.GetUtcNow();
        Assert.True(_list.DeactivateUser(user, first));
        Assert.True(_list.DeactivateUser(user, first.AddMinutes(2)));
        Assert.False(_list.DeactivateUser(user, first));
        Assert.False(_list.DeactivateUser(user, first.AddMinutes(2)));

        Assert.True(_list.IsRevoked(user, Guid.NewGuid(), Unix(first) + 100));
        Assert.Equal(1, _list.Count);
    }

    [Fact]
    public void Session_revocation_rejects_only_that_session()
    {
        var user = Guid.NewGuid();
        var session = Guid.NewGuid();
        Assert.True(_list.RevokeSession(session, _time.GetUtcNow()));
        Assert.False(_list.RevokeSession(session, _time.GetUtcNow()));

        Assert.True(_list.IsRevoked(user, session, Unix(_time.GetUtcNow()) + 1000));
        Assert.False(_list.IsRevoked(user, Guid.NewGuid(), Unix(_time.GetUtcNow())));
    }

    [Fact]
    public void Entries_are_purged_once_no_covered_token_can_be_valid()
    {
        var user = Guid.NewGuid();
        var session = Guid.NewGuid();
        _list.DeactivateUser(user, _time.GetUtcNow());
        _list.RevokeSession(session, _time.GetUtcNow());

        _time.Advance(Retention - TimeSpan.FromSeconds(1));
        Assert.Equal(0, _list.Purge());
        Assert.Equal(2, _list.Count);

        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(2, _list.Purge());
        Assert.Equal(0, _list.Count);
    }

    [Fact]
    public void Event_older_than_the_retention_window_is_not_kept()
    {
        Assert.False(_list.DeactivateUser(Guid.NewGuid(), _time.GetUtcNow() - Retention - TimeSpan.FromSeconds(5)));
        Assert.False(_list.RevokeSession(Guid.NewGuid(), _time.GetUtcNow() - Retention - TimeSpan.FromSeconds(5)));
        Assert.Equal(0, _list.Count);
    }

    [Fact]
    public async Task Concurrent_updates_and_reads_converge_on_the_latest_deactivation()
    {
        var users = Enumerable.Range(0, 50).Select(_ => Guid.NewGuid()).ToArray();
        var start = _time.GetUtcNow();
        var writers = Enumerable.Range(0, 8).Select(w => Task.Run(() =>
        {
            for (var i = 0; i < 2000; i++)
            {
                _list.DeactivateUser(users[i % users.Length], start.AddSeconds((i * 7 + w) % 300));
                _list.RevokeSession(Guid.NewGuid(), start);
            }
        }));
        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 20000; i++)
                _list.IsRevoked(users[i % users.Length], Guid.NewGuid(), Unix(start));
        }));
        var purger = Task.Run(() =>
        {
            for (var i = 0; i < 100; i++)
                _list.Purge();
        });
        await Task.WhenAll([.. writers, .. readers, purger]);

        foreach (var user in users)
        {
            Assert.True(_list.IsRevoked(user, Guid.NewGuid(), Unix(start)));
            Assert.False(_list.IsRevoked(user, Guid.NewGuid(), Unix(start) + 301));
        }

        Assert.Equal(users.Length + 8 * 2000, _list.Count);
    }

    [Fact]
    public async Task Past_its_capacity_the_list_still_applies_revocations_and_raises_the_alarm_until_purged_below()
    {
        var metrics = new ResourceServerMetrics(_services.GetRequiredService<IMeterFactory>(), _time);
        var list = new DenyList(_time, metrics, Retention, maxEntries: 2);
        metrics.OverCapacitySource = () => list.IsOverCapacity;
        var readiness = new DenyListReadiness(list, metrics);
        readiness.MarkLoaded(caughtUp: true);
        using var recorder = new MetricRecorder(_services.GetRequiredService<IMeterFactory>(), ResourceServerMetrics.MeterName);
        list.DeactivateUser(Guid.NewGuid(), _time.GetUtcNow());
        list.RevokeSession(Guid.NewGuid(), _time.GetUtcNow());
        Assert.False(list.IsOverCapacity);

        var third = Guid.NewGuid();
        Assert.True(list.RevokeSession(third, _time.GetUtcNow()));

        Assert.True(list.IsRevoked(Guid.NewGuid(), third, Unix(_time.GetUtcNow())));
        Assert.True(list.IsOverCapacity);
        var health = await readiness.CheckHealthAsync(new Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckContext());
        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Degraded, health.Status);
        Assert.Contains("deny-list over capacity", health.Description, StringComparison.Ordinal);
        recorder.Observe();
        Assert.Equal(1, recorder.Values("platform.revocation.over_capacity")[^1]);

        _time.Advance(Retention + TimeSpan.FromSeconds(2));
        list.Purge();
        Assert.False(list.IsOverCapacity);
        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy,
            (await readiness.CheckHealthAsync(new Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckContext())).Status);
    }

    public void Dispose() => _services.Dispose();
}
