using Microsoft.EntityFrameworkCore;
using Platform.ResourceServer.Storage;
using static Platform.ResourceServer.Tests.RevocationFeedTests;

namespace Platform.ResourceServer.Tests;

/// <summary>An instance that was down, or is new, converges on every active revocation before it reports ready.</summary>
[Collection(ResourceServerCollection.Name)]
public sealed class CatchUpTests(ResourceServerFixture fixture)
{
    private TestTokenIssuer Issuer => fixture.Issuer;

    [Fact]
    public async Task Restarted_instance_rejects_a_revocation_published_while_it_was_down_before_it_reports_ready()
    {
        var instance = await fixture.StartAppAsync();
        await instance.WaitUntilReadyAsync();
        await instance.DisposeAsync();

        var user = Guid.NewGuid();
        var session = Guid.NewGuid();
        var token = Issuer.Mint(user, session);
        var revokedAt = DateTimeOffset.UtcNow;
        // Identity both publishes the event and, from then on, reports it as active.
        fixture.Identity.ActiveSessions[session] = revokedAt;
        await fixture.Identity.PublishAsync(new SessionRevoked(session, user, revokedAt, SessionRevokedReasons.Admin));

        var restarted = await fixture.StartAppAsync();
        await restarted.WaitUntilReadyAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, await Status(restarted, token));
        await restarted.DisposeAsync();
    }

    [Fact]
    public async Task New_instance_with_an_empty_store_learns_revocations_from_Identity_before_it_reports_ready()
    {
        await using var emptyDatabase = await TestDatabase.CreateAsync("resource_server_catchup");
        var user = Guid.NewGuid();
        var token = Issuer.Mint(user, change: (_, c) => c["iat"] = DateTimeOffset.UtcNow.AddMinutes(-2).ToUnixTimeSeconds());
        fixture.Identity.ActiveUsers[user] = DateTimeOffset.UtcNow.AddMinutes(-1);

        await using var instance = await ResourceServerApp.StartAsync(fixture.Settings(emptyDatabase.ConnectionString));
        await instance.WaitUntilReadyAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, await Status(instance, token));
    }

    [Fact]
    public async Task When_Identity_is_silent_the_instance_starts_from_persisted_revocations()
    {
        var user = Guid.NewGuid();
        var token = Issuer.Mint(user, change: (_, c) => c["iat"] = DateTimeOffset.UtcNow.AddMinutes(-2).ToUnixTimeSeconds());
        await fixture.Identity.PublishAsync(new UserDeactivated(user, DateTimeOffset.UtcNow.AddMinutes(-1), null));
        await Eventually.HoldsAsync(async () =>
        {
            await using var scope = fixture.App.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<RevocationDbContext>().Revocations.AnyAsync(r => r.SubjectId == user);
        }, "the deactivation to be stored");

        fixture.Identity.Answering = false;
        try
        {
            var requestsBefore = fixture.Identity.RequestsSeen;
            await using var instance = await ResourceServerApp.StartAsync(fixture.Settings());
            await instance.WaitUntilReadyAsync();

            Assert.True(fixture.Identity.RequestsSeen > requestsBefore, "The instance did not ask Identity.");
            Assert.Equal(HttpStatusCode.Unauthorized, await Status(instance, token));
        }
        finally
        {
            fixture.Identity.Answering = true;
        }
    }
}
