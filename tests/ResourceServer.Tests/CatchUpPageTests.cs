using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Platform.ResourceServer.Tests;

/// <summary>
/// A catch-up page delivered twice, late or out of order, as a redelivery or a replaying sender would, leaves the
/// deny-list exactly as the pages applied once in order do.
/// </summary>
public sealed class CatchUpPageTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    [Fact]
    public void Pages_applied_twice_and_in_reverse_order_leave_the_same_deny_list_as_once_in_order()
    {
        var now = _time.GetUtcNow();
        var user = Guid.NewGuid();
        var session = Guid.NewGuid();
        // The user was deactivated twice: an old page carries the first time, a later page the second.
        var pages = new[]
        {
            Page([(user, now.AddMinutes(-5)), (Guid.NewGuid(), now.AddMinutes(-4))], [(Guid.NewGuid(), now.AddMinutes(-4))]),
            Page([(Guid.NewGuid(), now.AddMinutes(-3))], [(session, now.AddMinutes(-3)), (Guid.NewGuid(), now.AddMinutes(-2))]),
            Page([(user, now.AddMinutes(-1))], []),
        };

        var (inOrder, inOrderBounds) = NewDenyList();
        foreach (var page in pages)
            CatchUpPage.Merge(page, inOrder, inOrderBounds);

        var (replayed, replayedBounds) = NewDenyList();
        foreach (var page in pages.Reverse().Concat(pages).Concat(pages.Reverse()))
            CatchUpPage.Merge(page, replayed, replayedBounds);

        Assert.Equal(inOrder.Count, replayed.Count);
        Assert.Equal(inOrder.UserCutoff(user), replayed.UserCutoff(user));
        Assert.Equal(DenyList.CeilingUnixSeconds(now.AddMinutes(-1)), replayed.UserCutoff(user));
        Assert.True(replayed.IsRevoked(Guid.NewGuid(), session, now.ToUnixTimeSeconds()));
        // A token issued between the two deactivations stays refused: the older page did not move the cutoff back.
        Assert.True(replayed.IsRevoked(user, Guid.NewGuid(), now.AddMinutes(-2).ToUnixTimeSeconds()));
        Assert.False(replayed.IsRevoked(user, Guid.NewGuid(), now.ToUnixTimeSeconds()));
    }

    private static ActiveRevocations Page((Guid Id, DateTimeOffset At)[] users, (Guid Id, DateTimeOffset At)[] sessions) => new(
        FakeIdentityBus.Pack(users.Select(u => (RevokedKind.User, u.Id, u.At))),
        FakeIdentityBus.Pack(sessions.Select(s => (RevokedKind.Session, s.Id, s.At))),
        null,
        DateTimeOffset.UtcNow);

    private (DenyList List, RevocationEventBounds Bounds) NewDenyList()
    {
        var metrics = new ResourceServerMetrics(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), _time);
        var options = Options.Create(new ResourceServerOptions { Audience = "orders" });
        return (new DenyList(_time, metrics, options.Value.RetentionAfterEvent),
            new RevocationEventBounds(_time, options, metrics, NullLogger<RevocationEventBounds>.Instance));
    }

    public void Dispose() => _services.Dispose();
}
