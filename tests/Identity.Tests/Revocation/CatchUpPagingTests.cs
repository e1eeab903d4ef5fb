using MassTransit;
using Platform.ServiceDefaults.Messaging;

namespace Platform.Identity.Tests.Revocation;

/// <summary>
/// Identity answers a resource server's catch-up page by page over the real broker: every active revocation exactly
/// once, users before sessions, nothing outside the token-lifetime window, and the same page again for the same cursor.
/// </summary>
public sealed class CatchUpPagingTests(SmallCatchUpPageApp app) : IClassFixture<SmallCatchUpPageApp>
{
    [Fact]
    public async Task Paging_from_the_first_cursor_to_the_last_yields_every_active_revocation_once_and_nothing_else()
    {
        var now = app.Time.GetUtcNow();
        var users = await RevocationSeed.UsersAsync(app, 40, now.AddMinutes(-2));
        await RevocationSeed.UsersAsync(app, 3, now.AddHours(-1));
        await RevocationSeed.UsersAsync(app, 3, null);
        var holder = (await RevocationSeed.UsersAsync(app, 1, null))[0];
        var sessions = await RevocationSeed.SessionsAsync(app, holder, 33, now.AddMinutes(-3));
        await RevocationSeed.SessionsAsync(app, holder, 3, now.AddHours(-1));
        await RevocationSeed.SessionsAsync(app, holder, 3, null);
        var client = app.Events.Bus.CreateRequestClient<GetActiveRevocations>(RequestTimeout.After(s: 30));

        var seen = new List<(RevokedKind Kind, Guid Id, DateTimeOffset At)>();
        var cursors = new List<RevocationCursor?> { null };
        while (true)
        {
            var page = (await client.GetResponse<ActiveRevocations>(new GetActiveRevocations("identity-tests", cursors[^1]))).Message;
            var entries = Entries(page).ToList();
            Assert.True(entries.Count <= SmallCatchUpPageApp.PageSize, $"A page held {entries.Count} entries.");
            seen.AddRange(entries);
            if (page.Next is null)
                break;
            Assert.Equal(SmallCatchUpPageApp.PageSize, entries.Count);
            Assert.Equal((entries[^1].Kind, entries[^1].Id), (page.Next.Kind, page.Next.Id));
            cursors.Add(page.Next);
        }

        Assert.True(cursors.Count >= (40 + 33) / SmallCatchUpPageApp.PageSize, $"Only {cursors.Count} pages.");
        Assert.Equal(seen.Count, seen.Select(e => e.Id).Distinct().Count());
        Assert.Equal(users.Order(), seen.Where(e => e.Kind == RevokedKind.User).Select(e => e.Id).Order());
        Assert.Equal(sessions.Order(), seen.Where(e => e.Kind == RevokedKind.Session).Select(e => e.Id).Order());
        Assert.Equal(seen.OrderBy(e => e.Kind).ThenBy(e => e.At).Select(e => e.Id), seen.Select(e => e.Id));

        // Identity keeps nothing between pages: the same cursor gives the same page, whoever asks and whenever.
        var again = (await client.GetResponse<ActiveRevocations>(new GetActiveRevocations("identity-tests", cursors[3]))).Message;
        Assert.Equal(seen.Skip(3 * SmallCatchUpPageApp.PageSize).Take(SmallCatchUpPageApp.PageSize), Entries(again));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("30001")]
    public void A_page_size_out_of_range_refuses_to_start_with_a_clear_message(string pageSize)
    {
        using var misconfigured = app.WithWebHostBuilder(builder => builder.UseSetting("Identity:CatchUp:PageSize", pageSize));

        var error = Assert.ThrowsAny<Exception>(() => misconfigured.Server);

        Assert.Contains("Identity:CatchUp:PageSize (Identity__CatchUp__PageSize) must be between 1 and 30000", error.ToString(), StringComparison.Ordinal);
    }

    internal static IEnumerable<(RevokedKind Kind, Guid Id, DateTimeOffset At)> Entries(ActiveRevocations page)
    {
        for (var i = 0; i < PackedRevocations.Count(page.Users); i++)
        {
            var (id, at) = PackedRevocations.Read(page.Users, i);
            yield return (RevokedKind.User, id, at);
        }

        for (var i = 0; i < PackedRevocations.Count(page.Sessions); i++)
        {
            var (id, at) = PackedRevocations.Read(page.Sessions, i);
            yield return (RevokedKind.Session, id, at);
        }
    }
}
