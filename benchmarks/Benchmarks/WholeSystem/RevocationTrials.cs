using System.Diagnostics;
using System.Net;

namespace Platform.Benchmarks.WholeSystem;

/// <summary>
/// The trials of <see cref="RevocationRun"/>: one user deactivated at a time, every Orders instance polled until it
/// refuses the user's token, and each event's delivery record read once the phase is over.
/// </summary>
internal static class RevocationTrials
{
    public const int PollersPerInstance = 2;

    // Not counted: the first uses of the operator route and the outbox path run code the JIT has not optimised yet.
    // Tiering recompiles a method once it has run 30 times and the process has had no new first calls for 100 ms, and
    // recompiles the hottest again with what it learnt; every process does so on the cores the trials share. So the
    // whole path first runs for WarmUpTime (deactivating and reactivating a few users), then WarmUp trials go
    // uncounted in each phase: the figures are those of running services, not of services that have just started.
    public static readonly int WarmUp = QuickMode.Pick(40, 10);
    public const int WarmUpUsers = 8;
    public static readonly TimeSpan WarmUpTime = TimeSpan.FromSeconds(QuickMode.Pick(20, 4));
    public static readonly TimeSpan TrialBound = TimeSpan.FromSeconds(5);

    public sealed record SignedIn(Guid UserId, string Token);

    public sealed record Trial(double Answered, double Written, double Published, double Applied, double Refused);

    public sealed record Phase(List<Trial> Trials, int TimedOut);

    public static async Task<List<SignedIn>> LogInAsync(PlatformClient client, (Guid Id, string Email)[] users)
    {
        var signedIn = new SignedIn[users.Length];
        // Two at a time: each login is a 600 000-iteration PBKDF2 on a two-core machine.
        await Parallel.ForAsync(0, users.Length, new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (i, _) =>
            signedIn[i] = new SignedIn(users[i].Id, (await client.LogInAsync(users[i].Email, UserSeed.Password)).Token));
        return [.. signedIn];
    }

    public static async Task<Phase> TrialsAsync(PlatformClient client, ScaleStack stack, string admin, List<SignedIn> users)
    {
        var measured = new List<(DateTimeOffset SentAt, Guid EventId, double Answered, double Refused)>();
        var timedOut = 0;
        foreach (var (user, trial) in users.Select((u, i) => (u, i)))
        {
            foreach (var orders in stack.Orders)
            {
                if (await client.GetOrdersStatusAsync(user.Token, "/orders", orders) != HttpStatusCode.OK)
                    throw new InvalidOperationException("A token was refused before its user was deactivated.");
            }

            var sentAt = DateTimeOffset.UtcNow;
            var started = Stopwatch.GetTimestamp();
            var eventId = await client.DeactivateAsync(admin, user.UserId);
            var answered = Stopwatch.GetElapsedTime(started);
            var refused = await Task.WhenAll(stack.Orders.Select(orders => RefusedAfterAsync(client, user.Token, orders, started)));
            if (refused.Any(r => r is null))
                timedOut++;
            if (trial >= WarmUp)
                measured.Add((sentAt, eventId, answered.TotalMilliseconds, refused.Max(r => r ?? TrialBound).TotalMilliseconds));
        }

        // Receipts are sent in batches, so the split is read once the phase is over.
        var trials = new List<Trial>(measured.Count);
        foreach (var (sentAt, eventId, answered, refused) in measured)
        {
            var delivery = await client.RevocationDeliveryAsync(admin, eventId, stack.Orders.Count);
            trials.Add(new Trial(answered, (delivery.CreatedAt - sentAt).TotalMilliseconds, (delivery.PublishedAt - sentAt).TotalMilliseconds,
                (delivery.LastAppliedAt - sentAt).TotalMilliseconds, refused));
        }

        return new Phase(trials, timedOut);
    }

    /// <summary>
    /// Trials in all but name for <see cref="WarmUpTime"/>: a few users in turn are deactivated, refused by every instance
    /// and reactivated (their tokens stay refused), and each round first reads orders with a live token, as a trial
    /// checks its user's token first and its pollers read until the event lands.
    /// </summary>
    public static async Task WarmUpAsync(PlatformClient client, ScaleStack stack, string admin, List<SignedIn> users, string liveToken)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; clock.Elapsed < WarmUpTime; i++)
        {
            foreach (var orders in stack.Orders)
            {
                for (var read = 0; read < 4; read++)
                {
                    if (await client.GetOrdersStatusAsync(liveToken, "/orders", orders) != HttpStatusCode.OK)
                        throw new InvalidOperationException("A live token was refused during the warm-up.");
                }
            }

            var user = users[i % users.Count];
            await client.DeactivateAsync(admin, user.UserId);
            await Task.WhenAll(stack.Orders.Select(orders => RefusedAfterAsync(client, user.Token, orders, Stopwatch.GetTimestamp())));
            await client.ReactivateAsync(admin, user.UserId);
        }
    }

    /// <returns>How long after <paramref name="started"/> the instance first refused the token; null past the bound.</returns>
    /// <remarks>
    /// A poll already past authentication when the revocation lands still answers 200, and a 200 costs Orders a
    /// query, so one poller sees the change up to a whole poll late. Pollers staggered a millisecond apart halve that;
    /// the first 401 any of them sees counts, and the others stop.
    /// </remarks>
    public static async Task<TimeSpan?> RefusedAfterAsync(PlatformClient client, string token, Uri orders, long started)
    {
        using var seen = new CancellationTokenSource();
        var pollers = Enumerable.Range(0, PollersPerInstance).Select(async offset =>
        {
            await Task.Delay(offset);
            while (!seen.IsCancellationRequested)
            {
                if (await client.GetOrdersStatusAsync(token, "/orders", orders) == HttpStatusCode.Unauthorized)
                {
                    var at = Stopwatch.GetElapsedTime(started);
                    await seen.CancelAsync();
                    return (TimeSpan?)at;
                }

                if (Stopwatch.GetElapsedTime(started) > TrialBound)
                    return null;
                // Back-to-back polls would keep both cores busy and slow the delivery they wait for.
                await Task.Delay(1);
            }

            return null;
        }).ToArray();
        var results = await Task.WhenAll(pollers);
        return results.Where(r => r is not null).Min();
    }
}
