using MassTransit;

namespace Platform.Identity.Tests.Revocation;

/// <summary>
/// At the largest page size Identity's settings allow, a full catch-up page as it arrives from the broker, MassTransit
/// envelope included, is under 1 MiB: far under RabbitMQ 4's default 16 MiB limit, however many revocations are active.
/// </summary>
public sealed class CatchUpPageSizeTests(LargestCatchUpPageApp app) : IClassFixture<LargestCatchUpPageApp>
{
    private const int OneMiB = 1024 * 1024;

    [Fact]
    public async Task A_full_page_at_the_largest_page_size_is_under_one_MiB_on_the_wire()
    {
        var now = app.Time.GetUtcNow();
        await RevocationSeed.UsersAsync(app, 5, now.AddMinutes(-2));
        var holder = (await RevocationSeed.UsersAsync(app, 1, null))[0];
        await RevocationSeed.SessionsAsync(app, holder, Platform.Identity.Revocation.CatchUpOptions.MaxPageSize + 5, now.AddMinutes(-1));
        var sizes = new BodySizes();
        using var observing = app.Events.Bus.ConnectReceiveObserver(sizes);
        var client = app.Events.Bus.CreateRequestClient<GetActiveRevocations>(RequestTimeout.After(s: 60));

        var first = (await client.GetResponse<ActiveRevocations>(new GetActiveRevocations("identity-tests"))).Message;
        var second = (await client.GetResponse<ActiveRevocations>(new GetActiveRevocations("identity-tests", first.Next))).Message;

        Assert.Equal(Platform.Identity.Revocation.CatchUpOptions.MaxPageSize, CatchUpPagingTests.Entries(first).Count());
        Assert.Equal(10, CatchUpPagingTests.Entries(second).Count());
        Assert.Null(second.Next);
        var largest = sizes.Largest;
        Assert.True(largest > 900_000, $"The full page was only {largest} bytes: not the page measured.");
        Assert.True(largest < OneMiB, $"A full catch-up page was {largest} bytes, over 1 MiB.");
    }

    private sealed class BodySizes : IReceiveObserver
    {
        private long _largest;

        public long Largest => Interlocked.Read(ref _largest);

        public Task PreReceive(ReceiveContext context)
        {
            var length = context.Body.GetBytes().LongLength;
            long current;
            while (length > (current = Interlocked.Read(ref _largest)) && Interlocked.CompareExchange(ref _largest, length, current) != current)
            {
            }

            return Task.CompletedTask;
        }

        public Task PostReceive(ReceiveContext context) => Task.CompletedTask;

        public Task PostConsume<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType) where T : class => Task.CompletedTask;

        public Task ConsumeFault<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType, Exception exception) where T : class =>
            Task.CompletedTask;

        public Task ReceiveFault(ReceiveContext context, Exception exception) => Task.CompletedTask;
    }
}
