using System.Diagnostics.Metrics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Platform.ResourceServer.Storage;
using static Platform.ResourceServer.Tests.RevocationFeedTests;

namespace Platform.ResourceServer.Tests;

/// <summary>
/// An instance that could not catch up with Identity says so (readiness and a gauge) and keeps trying; and every event
/// it takes from the shared store queue reaches its deny-list, not only the table.
/// </summary>
[Collection(ResourceServerCollection.Name)]
public sealed class CatchUpStalenessTests(ResourceServerFixture fixture)
{
    private const string Stale = "platform.revocation.stale";

    [Fact]
    public async Task When_Identity_is_silent_at_start_the_instance_serves_but_reports_revocations_stale()
    {
        fixture.Identity.Answering = false;
        try
        {
            await using var instance = await ResourceServerApp.StartAsync(QuickRetries(fixture.Settings()));
            await instance.WaitUntilReadyAsync();
            using var metrics = new MetricRecorder(instance.Get<IMeterFactory>(), ResourceServerMetrics.MeterName);

            var (overall, status, description) = await DenyListHealthAsync(instance);
            Assert.Equal("Degraded", overall);
            Assert.Equal("Degraded", status);
            Assert.Contains("revocations: stale", description, StringComparison.Ordinal);
            metrics.Observe();
            Assert.Equal(1, metrics.Values(Stale)[^1]);
        }
        finally
        {
            fixture.Identity.Answering = true;
        }
    }

    [Fact]
    public async Task When_Identity_answers_later_the_stale_flag_clears_and_what_it_reported_is_enforced()
    {
        var user = Guid.NewGuid();
        var token = fixture.Issuer.Mint(user, change: (_, c) => c["iat"] = DateTimeOffset.UtcNow.AddMinutes(-2).ToUnixTimeSeconds());
        fixture.Identity.Answering = false;
        ResourceServerApp? instance = null;
        try
        {
            instance = await ResourceServerApp.StartAsync(QuickRetries(fixture.Settings()));
            await instance.WaitUntilReadyAsync();
            Assert.Equal("Degraded", (await DenyListHealthAsync(instance)).Status);

            // Identity comes back knowing a deactivation that was never published to this instance.
            fixture.Identity.ActiveUsers[user] = DateTimeOffset.UtcNow.AddMinutes(-1);
            fixture.Identity.Answering = true;

            await Eventually.HoldsAsync(async () => (await DenyListHealthAsync(instance)).Status == "Healthy",
                "the deny-list check to turn Healthy once Identity answers");
            using var metrics = new MetricRecorder(instance.Get<IMeterFactory>(), ResourceServerMetrics.MeterName);
            metrics.Observe();
            Assert.Equal(0, metrics.Values(Stale)[^1]);
            Assert.Equal(HttpStatusCode.Unauthorized, await Status(instance, token));
        }
        finally
        {
            fixture.Identity.Answering = true;
            if (instance is not null)
                await instance.DisposeAsync();
        }
    }

    [Fact]
    public async Task An_event_drained_from_the_store_queue_after_start_is_enforced_by_the_instance_that_drained_it()
    {
        // An environment of its own: the fixture's instances would compete for the shared queue.
        await using var environment = await ApiEnvironment.CreateAsync("resource-server-drain");
        await using var instance = await ResourceServerApp.StartAsync(environment.ResourceServerSettings(ResourceServerApp.Section));
        await instance.WaitUntilReadyAsync();
        var user = Guid.NewGuid();
        var token = environment.Issuer.Mint(user, change: (_, c) => c["iat"] = DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds());
        Assert.Equal(HttpStatusCode.OK, await Status(instance, token));

        // As an event published while every instance was down: it waits only in the shared queue, and the instance
        // that drains it has long loaded the table.
        await environment.Identity.SendAsync(ResourceServerApp.Section.ToLowerInvariant() + "-revocation-store",
            new UserDeactivated(user, DateTimeOffset.UtcNow, null));

        await Eventually.HoldsAsync(async () =>
        {
            await using var scope = instance.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<RevocationDbContext>().Revocations.AnyAsync(r => r.SubjectId == user);
        }, "the drained deactivation to be stored");
        await Eventually.HoldsAsync(async () => await Status(instance, token) == HttpStatusCode.Unauthorized,
            "the drained deactivation to refuse the user's token");
    }

    private static Dictionary<string, string?> QuickRetries(Dictionary<string, string?> settings)
    {
        settings[ResourceServerApp.Section + ":CatchUpRetryInterval"] = "00:00:00.500";
        return settings;
    }

    internal static async Task<(string Overall, string Status, string Description)> DenyListHealthAsync(ResourceServerApp app)
    {
        using var client = app.CreateClient();
        using var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var check = body.RootElement.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "deny-list");
        return (body.RootElement.GetProperty("status").GetString()!, check.GetProperty("status").GetString()!,
            check.GetProperty("description").GetString()!);
    }
}
