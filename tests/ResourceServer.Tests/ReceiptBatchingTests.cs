using Platform.ResourceServer.Receipts;

namespace Platform.ResourceServer.Tests;

/// <summary>
/// Receipts that are waiting when the publisher sends go together, so a bulk applied by every instance puts tens of
/// messages on the broker rather than one per event; none is larger than an instance ever sends.
/// </summary>
[Collection(ResourceServerCollection.Name)]
public sealed class ReceiptBatchingTests
{
    private const int Applied = 1_200;

    [Fact]
    public async Task Twelve_hundred_waiting_receipts_reach_identitys_exchange_in_a_few_messages_of_at_most_five_hundred()
    {
        await using var environment = await ApiEnvironment.CreateAsync("resource-server-receipt-batches");
        await using var observer = await EventObserver.StartAsync(environment.VirtualHost.AmqpUri, "receipt-observer-");
        await using var app = await ResourceServerApp.StartAsync(environment.ResourceServerSettings(ResourceServerApp.Section));
        await app.WaitUntilReadyAsync();
        var instance = app.Get<ResourceServerInstance>().Id;
        var buffer = app.Get<ReceiptBuffer>();
        var events = Enumerable.Range(0, Applied).Select(_ => Guid.NewGuid()).ToList();

        // As the instance queue's consumers do during a bulk: far faster than one broker confirm per receipt.
        foreach (var eventId in events)
            buffer.Add(eventId);

        await Eventually.HoldsAsync(() => observer.All<RevocationApplied>().Count(r => r.InstanceId == instance) >= Applied,
            "every receipt to reach the observer", TimeSpan.FromSeconds(30));
        var messages = observer.All<RevocationReceiptsSent>().Where(m => m.Receipts.Any(r => r.InstanceId == instance)).ToList();
        Assert.Equal(events.Order(), messages.SelectMany(m => m.Receipts).Select(r => r.EventId).Order());
        Assert.All(messages, m => Assert.InRange(m.Receipts.Count, 1, ReceiptPublisher.BatchSize));
        // Three when the publisher wakes after the last Add, four when it wakes after the first; more only if this
        // thread stalled between two Adds for longer than a publish takes, again and again.
        Assert.InRange(messages.Count, 3, 10);
    }
}
