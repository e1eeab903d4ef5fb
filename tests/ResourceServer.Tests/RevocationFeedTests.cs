using Microsoft.EntityFrameworkCore;
using Platform.ResourceServer.Storage;

namespace Platform.ResourceServer.Tests;

/// <summary>Revocations published on the real broker reach every running instance and its store.</summary>
[Collection(ResourceServerCollection.Name)]
public sealed class RevocationFeedTests(ResourceServerFixture fixture)
{
    private TestTokenIssuer Issuer => fixture.Issuer;

    [Fact]
    public async Task UserDeactivated_rejects_older_tokens_on_every_instance_and_newer_tokens_pass()
    {
        var second = await fixture.StartAppAsync();
        await second.WaitUntilReadyAsync();
        var user = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;
        var oldToken = Issuer.Mint(user, change: (_, c) => c["iat"] = now.AddMinutes(-1).ToUnixTimeSeconds());
        Assert.Equal(HttpStatusCode.OK, await Status(fixture.App, oldToken));
        Assert.Equal(HttpStatusCode.OK, await Status(second, oldToken));

        await fixture.Identity.PublishAsync(new UserDeactivated(user, now, "test"));

        await Eventually.HoldsAsync(async () => await Status(fixture.App, oldToken) == HttpStatusCode.Unauthorized, "the first instance to reject the old token");
        await Eventually.HoldsAsync(async () => await Status(second, oldToken) == HttpStatusCode.Unauthorized, "the second instance to reject the old token");
        var newToken = Issuer.Mint(user, change: (_, c) => c["iat"] = now.AddSeconds(3).ToUnixTimeSeconds());
        Assert.Equal(HttpStatusCode.OK, await Status(fixture.App, newToken));
        Assert.Equal(HttpStatusCode.OK, await Status(second, newToken));
        await second.DisposeAsync();
    }

    [Fact]
    public async Task SessionRevoked_rejects_only_that_sessions_tokens()
    {
        var user = Guid.NewGuid();
        var revoked = Guid.NewGuid();
        var revokedToken = Issuer.Mint(user, revoked);
        var otherSessionToken = Issuer.Mint(user, Guid.NewGuid());

        await fixture.Identity.PublishAsync(new SessionRevoked(revoked, user, DateTimeOffset.UtcNow, SessionRevokedReasons.Logout));

        await Eventually.HoldsAsync(async () => await Status(fixture.App, revokedToken) == HttpStatusCode.Unauthorized, "the revoked session's token to be rejected");
        Assert.Equal(HttpStatusCode.OK, await Status(fixture.App, otherSessionToken));
    }

    [Fact]
    public async Task Duplicate_delivery_changes_nothing()
    {
        var user = Guid.NewGuid();
        var at = DateTimeOffset.UtcNow;
        var denyList = fixture.App.Get<DenyList>();
        await fixture.Identity.PublishAsync(new UserDeactivated(user, at, null));
        await Eventually.HoldsAsync(() => denyList.UserCutoff(user) is not null, "the deny-list to hold the user");
        await Eventually.HoldsAsync(async () => await PersistedCount(user) == 1, "one stored revocation of the user");
        var countBefore = denyList.Count;
        var cutoffBefore = denyList.UserCutoff(user);

        await fixture.Identity.PublishAsync(new UserDeactivated(user, at, null));
        await fixture.Identity.PublishAsync(new UserDeactivated(user, at.AddMinutes(-1), null));
        // A marker event behind the duplicates: once it is applied, so are they.
        var marker = Guid.NewGuid();
        await fixture.Identity.PublishAsync(new UserDeactivated(marker, at, null));
        await Eventually.HoldsAsync(() => denyList.UserCutoff(marker) is not null, "the deny-list to hold the marker");
        await Eventually.HoldsAsync(async () => await PersistedCount(marker) == 1, "one stored revocation of the marker");

        Assert.Equal(cutoffBefore, denyList.UserCutoff(user));
        Assert.Equal(countBefore + 1, denyList.Count);
        Assert.Equal(1, await PersistedCount(user));
        await using var scope = fixture.App.Services.CreateAsyncScope();
        var row = await scope.ServiceProvider.GetRequiredService<RevocationDbContext>().Revocations.SingleAsync(r => r.SubjectId == user);
        Assert.Equal(at.ToUnixTimeMilliseconds() / 1000, row.RevokedAt.ToUnixTimeMilliseconds() / 1000);
    }

    private async Task<int> PersistedCount(Guid subject)
    {
        await using var scope = fixture.App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<RevocationDbContext>().Revocations.CountAsync(r => r.SubjectId == subject);
    }

    internal static async Task<HttpStatusCode> Status(ResourceServerApp app, string token)
    {
        using var client = app.ClientWith(token);
        using var response = await client.GetAsync(ResourceServerApp.Path);
        return response.StatusCode;
    }
}
