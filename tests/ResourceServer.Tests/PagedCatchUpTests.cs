using static Platform.ResourceServer.Tests.CatchUpStalenessTests;
using static Platform.ResourceServer.Tests.RevocationFeedTests;

namespace Platform.ResourceServer.Tests;

/// <summary>
/// Identity's catch-up arrives in many pages over the real broker: a starting instance merges every one before it
/// reports ready, and never reports plain ready when Identity stops answering part-way. Each test has an
/// environment of its own, so its page size and silences touch no other test.
/// </summary>
public sealed class PagedCatchUpTests : IAsyncLifetime
{
    private const int PageSize = 37;
    private ApiEnvironment _environment = null!;

    public async Task InitializeAsync()
    {
        _environment = await ApiEnvironment.CreateAsync("resource-server-paged");
        _environment.Identity.PageSize = PageSize;
    }

    public async Task DisposeAsync() => await _environment.DisposeAsync();

    [Fact]
    public async Task Tokens_revoked_before_start_are_refused_on_the_first_request_when_the_snapshot_spans_many_pages()
    {
        var (user, session) = Seed(500, 500);
        var userToken = _environment.Issuer.Mint(user, change: (_, c) => c["iat"] = DateTimeOffset.UtcNow.AddMinutes(-3).ToUnixTimeSeconds());
        var sessionToken = _environment.Issuer.Mint(Guid.NewGuid(), session);
        var untouched = _environment.Issuer.Mint(Guid.NewGuid(), Guid.NewGuid());

        await using var instance = await ResourceServerApp.StartAsync(_environment.ResourceServerSettings(ResourceServerApp.Section));
        await instance.WaitUntilReadyAsync();

        Assert.True(_environment.Identity.RequestsSeen >= 1000 / PageSize, $"Only {_environment.Identity.RequestsSeen} pages were asked for.");
        Assert.Equal("Healthy", (await DenyListHealthAsync(instance)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, await Status(instance, userToken));
        Assert.Equal(HttpStatusCode.Unauthorized, await Status(instance, sessionToken));
        Assert.Equal(HttpStatusCode.OK, await Status(instance, untouched));
        Assert.Equal(1000, instance.Get<DenyList>().Count);
    }

    [Fact]
    public async Task Pages_answered_twice_change_nothing()
    {
        var (user, session) = Seed(100, 100);
        _environment.Identity.AnswersTwice = true;
        var userToken = _environment.Issuer.Mint(user, change: (_, c) => c["iat"] = DateTimeOffset.UtcNow.AddMinutes(-3).ToUnixTimeSeconds());
        var sessionToken = _environment.Issuer.Mint(Guid.NewGuid(), session);

        await using var instance = await ResourceServerApp.StartAsync(_environment.ResourceServerSettings(ResourceServerApp.Section));
        await instance.WaitUntilReadyAsync();

        Assert.Equal("Healthy", (await DenyListHealthAsync(instance)).Status);
        Assert.Equal(200, instance.Get<DenyList>().Count);
        Assert.Equal(HttpStatusCode.Unauthorized, await Status(instance, userToken));
        Assert.Equal(HttpStatusCode.Unauthorized, await Status(instance, sessionToken));
    }

    [Fact]
    public async Task When_Identity_stops_answering_part_way_the_instance_is_never_plainly_ready_and_pages_again_from_the_start()
    {
        var (user, session) = Seed(150, 150);
        var userToken = _environment.Issuer.Mint(user, change: (_, c) => c["iat"] = DateTimeOffset.UtcNow.AddMinutes(-3).ToUnixTimeSeconds());
        var sessionToken = _environment.Issuer.Mint(Guid.NewGuid(), session);
        // Three pages, then silence: as an Identity instance or a broker node lost in the middle of the catch-up.
        _environment.Identity.PagesBeforeSilence = 3;
        var settings = _environment.ResourceServerSettings(ResourceServerApp.Section);
        settings[ResourceServerApp.Section + ":CatchUpTimeout"] = "00:00:01";
        settings[ResourceServerApp.Section + ":CatchUpRetryInterval"] = "00:00:00.500";

        await using var instance = await ResourceServerApp.StartAsync(settings);
        await instance.WaitUntilReadyAsync();

        var (overall, status, description) = await DenyListHealthAsync(instance);
        Assert.Equal("Degraded", overall);
        Assert.Equal("Degraded", status);
        Assert.Contains("revocations: stale", description, StringComparison.Ordinal);
        Assert.Equal(3, _environment.Identity.PagesAnswered);

        // Identity is back: a retry pages through the whole snapshot and only then does the instance turn Healthy.
        _environment.Identity.PagesBeforeSilence = null;
        await Eventually.HoldsAsync(async () => (await DenyListHealthAsync(instance)).Status == "Healthy",
            "the deny-list check to turn Healthy once Identity answers every page");
        Assert.True(_environment.Identity.PagesAnswered >= 300 / PageSize, $"The retry asked for {_environment.Identity.PagesAnswered} pages.");
        Assert.Equal(HttpStatusCode.Unauthorized, await Status(instance, userToken));
        Assert.Equal(HttpStatusCode.Unauthorized, await Status(instance, sessionToken));
    }

    /// <returns>The latest user and session, so they sort onto the last pages.</returns>
    private (Guid User, Guid Session) Seed(int users, int sessions)
    {
        var start = DateTimeOffset.UtcNow.AddMinutes(-2);
        for (var i = 0; i < users - 1; i++)
            _environment.Identity.ActiveUsers[Guid.NewGuid()] = start.AddMilliseconds(i);
        for (var i = 0; i < sessions - 1; i++)
            _environment.Identity.ActiveSessions[Guid.NewGuid()] = start.AddMilliseconds(i);
        var user = Guid.NewGuid();
        var session = Guid.NewGuid();
        _environment.Identity.ActiveUsers[user] = start.AddMinutes(1);
        _environment.Identity.ActiveSessions[session] = start.AddMinutes(1);
        return (user, session);
    }
}
