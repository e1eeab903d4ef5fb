using Microsoft.Extensions.Hosting;
using Platform.Identity.Receipts;

namespace Platform.Identity.Tests.Receipts;

/// <summary>Identity whose clock this class alone moves on, past the receipts' retention.</summary>
public sealed class ReceiptPurgeApp : IdentityApp;

/// <summary>Receipts and instances outlive the retention (a week by default) by nothing: the purge deletes them, and only them.</summary>
public sealed class ReceiptPurgeTests(ReceiptPurgeApp app) : IClassFixture<ReceiptPurgeApp>
{
    [Fact]
    public async Task Receipts_and_instances_older_than_the_retention_are_deleted_and_newer_ones_stay()
    {
        var now = app.Time.GetUtcNow();
        var (oldEvent, newEvent) = (Guid.NewGuid(), Guid.NewGuid());
        var (gone, live) = ($"api-gone-{Guid.NewGuid():N}", $"api-live-{Guid.NewGuid():N}");
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
            db.RevocationReceipts.Add(new RevocationReceipt { EventId = oldEvent, InstanceId = gone, AppliedAt = now, ReceivedAt = now });
            db.RevocationReceipts.Add(new RevocationReceipt { EventId = newEvent, InstanceId = live, AppliedAt = now, ReceivedAt = now.AddDays(7) });
            db.ApiInstances.Add(Instance(gone, lastSeen: now));
            db.ApiInstances.Add(Instance(live, lastSeen: now.AddDays(7)));
            await db.SaveChangesAsync();
        }

        app.Time.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        await app.Services.GetServices<IHostedService>().OfType<ReceiptPurge>().Single().PurgeAsync(CancellationToken.None);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
            Assert.Equal([newEvent], await db.RevocationReceipts.Where(r => r.EventId == oldEvent || r.EventId == newEvent).Select(r => r.EventId).ToListAsync());
            Assert.Equal([live], await db.ApiInstances.Where(i => i.Id == gone || i.Id == live).Select(i => i.Id).ToListAsync());
        }
    }

    private static ApiInstance Instance(string id, DateTimeOffset lastSeen) => new()
    {
        Id = id, Service = "api", StartedAt = lastSeen, FirstSeenAt = lastSeen, LastSeenAt = lastSeen, Interval = TimeSpan.FromSeconds(10), Ready = true,
    };
}
