using System.Diagnostics;
using System.Net;

namespace Platform.Benchmarks.WholeSystem;

/// <summary>
/// Revocation propagation: an operator deactivates one user at a time, and the trial ends when every Orders instance
/// refuses that user's token. Runs idle, then while wrk sends every Orders instance a steady <c>GET /orders</c> load,
/// then while wrk keeps every core busy with it.
/// Each trial is also split with the event's delivery record (when Identity wrote it, when each instance applied it),
/// so a slow trial shows where its time went. Writes a markdown fragment.
/// </summary>
public static class RevocationRun
{
    private const int OrdersInstances = 2;
    private static readonly int LoadUsers = QuickMode.Pick(40, 8);
    private const int PollersPerInstance = 2;

    // Not counted: the first uses of the operator route and the outbox path run code the JIT has not optimised yet.
    // Tiering recompiles a method once it has run 30 times and the process has had no new first calls for 100 ms, and
    // recompiles the hottest again with what it learnt; every process does so on the cores the trials share. So the
    // whole path first runs for WarmUpTime (deactivating and reactivating a few users), then WarmUp trials go
    // uncounted in each phase: the figures are those of running services, not of services that have just started.
    private static readonly int WarmUp = QuickMode.Pick(40, 10);
    private const int WarmUpUsers = 8;
    private static readonly TimeSpan WarmUpTime = TimeSpan.FromSeconds(QuickMode.Pick(20, 4));
    private static readonly TimeSpan LoadLeadIn = TimeSpan.FromSeconds(QuickMode.Pick(8, 2));

    // The steady load's rate, requests per second over all instances: the rate the under-load target was set at.
    private const int SteadyRate = 800;
    private static readonly TimeSpan TrialBound = TimeSpan.FromSeconds(5);

    public static async Task<int> RunAsync(int trials, int loadConnections, string outputFile)
    {
        await using var stack = await ScaleStack.StartAsync(1, OrdersInstances);
        using var client = new PlatformClient(stack.Identity);
        var perPhase = WarmUp + trials;
        var saturatedPhase = WarmUp + Math.Max(20, trials / 2);
        var users = await UserSeed.SeedAsync(stack.IdentityDatabase, 2 * perPhase + saturatedPhase + LoadUsers + WarmUpUsers, "revocation");
        var tokens = await LogInAsync(client, users);
        var (admin, _, _) = await client.LogInAsync(stack.AdminEmail, stack.AdminPassword, PlatformClient.OperatorResource);
        var pace = TimeSpan.FromSeconds((double)loadConnections / SteadyRate);

        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture,
            $"\n### Revocation propagation ({trials} trials per phase after {WarmUp} not counted: deactivate over the operator API, poll all {OrdersInstances} Orders instances, {PollersPerInstance} pollers each, until each answers 401)\n");
        report.AppendLine(CultureInfo.InvariantCulture, $"""
            Targets: p99 ≤ 25 ms idle and ≤ 50 ms under a steady load, from the operator's request to the last instance's
            first 401. The steady load is wrk on {loadConnections} connections, each pacing its `GET /orders` one per
            {pace.TotalMilliseconds:F0} ms (about {SteadyRate} req/s, the load the target was set under); the saturating
            load is the same connections unpaced, every core busy, and has no target. Measured after {WarmUpTime.TotalSeconds:F0} s of
            deactivations and reactivations, once every process has recompiled its hot paths (see the comment in
            `RevocationRun`). The split comes from the event's delivery record: written = the deactivation's
            transaction time, published = the broker's confirm, applied = the slowest instance's receipt; all on this
            machine's clock, as is the request.

            | phase | measured | p50 ms | p95 ms | p99 ms | max ms | target |
            |---|---|---:|---:|---:|---:|---|
            """);
        var loadTokens = tokens.Skip(2 * perPhase + saturatedPhase).Take(LoadUsers).ToList();
        await WarmUpAsync(client, stack, admin, tokens.TakeLast(WarmUpUsers).ToList(), loadTokens[0].Token);
        var idle = await TrialsAsync(client, stack, admin, tokens.Take(perPhase).ToList());
        Append(report, "idle", idle, target: 25);

        var (steady, steadyLoad) = await UnderLoadAsync(client, stack, admin, tokens.Skip(perPhase).Take(perPhase).ToList(), loadTokens, loadConnections, pace);
        Append(report, $"steady load ({steadyLoad.RequestsPerSecond:F0} req/s)", steady, target: 50);
        var (saturated, saturatingLoad) = await UnderLoadAsync(client, stack, admin, tokens.Skip(2 * perPhase).Take(saturatedPhase).ToList(), loadTokens, loadConnections, pace: null);
        Append(report, $"saturating load ({saturatingLoad.RequestsPerSecond:F0} req/s)", saturated, target: null);

        foreach (var (name, load) in new[] { ("steady", steadyLoad), ("saturating", saturatingLoad) })
            report.AppendLine(CultureInfo.InvariantCulture,
                $"\nThe {name} load meanwhile: {load.RequestsPerSecond:F0} req/s over the {OrdersInstances} instances, worst p99 {Percentiles.Ms(load.P99Milliseconds)} ms, non-2xx {load.Non2xx}, socket errors {load.SocketErrors}.");
        report.AppendLine(CultureInfo.InvariantCulture,
            $"\nTrials that hit the {TrialBound.TotalSeconds:F0} s bound: idle {idle.TimedOut}, steady load {steady.TimedOut}, saturating load {saturated.TimedOut}.");
        await File.WriteAllTextAsync(outputFile, report.ToString());
        return 0;
    }

    /// <summary>The trials while wrk loads every Orders instance, after a lead-in that lets the load's own code settle.</summary>
    private static async Task<(Phase Phase, WrkResult Load)> UnderLoadAsync(
        PlatformClient client, ScaleStack stack, string admin, List<SignedIn> users, List<SignedIn> loadUsers, int connections, TimeSpan? pace)
    {
        var lines = Path.GetTempFileName();
        try
        {
            // The load users are seeded like the others; the file holds their tokens only while wrk runs.
            await File.WriteAllLinesAsync(lines, loadUsers.Select(t => $"{t.Token} /orders"));
            using var stopLoad = new CancellationTokenSource();
            var load = Task.WhenAll(stack.Orders.Select(orders =>
                Wrk.RunUntilAsync(orders, lines, Math.Max(1, connections / OrdersInstances), pace, stopLoad.Token)));
            await Task.Delay(LoadLeadIn);
            var phase = await TrialsAsync(client, stack, admin, users);
            await stopLoad.CancelAsync();
            var results = await load;
            return (phase, new WrkResult(results.Sum(r => r.RequestsPerSecond), results.Max(r => r.P99Milliseconds),
                results.Sum(r => r.Non2xx), results.Sum(r => r.SocketErrors), results.Sum(r => r.Requests)));
        }
        finally
        {
            File.Delete(lines);
        }
    }

    private sealed record SignedIn(Guid UserId, string Token);

    private sealed record Trial(double Answered, double Written, double Published, double Applied, double Refused);

    private sealed record Phase(List<Trial> Trials, int TimedOut);

    private static async Task<List<SignedIn>> LogInAsync(PlatformClient client, (Guid Id, string Email)[] users)
    {
        var signedIn = new SignedIn[users.Length];
        // Two at a time: each login is a 600 000-iteration PBKDF2 on a two-core machine.
        await Parallel.ForAsync(0, users.Length, new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (i, _) =>
            signedIn[i] = new SignedIn(users[i].Id, (await client.LogInAsync(users[i].Email, UserSeed.Password)).Token));
        return [.. signedIn];
    }

    private static async Task<Phase> TrialsAsync(PlatformClient client, ScaleStack stack, string admin, List<SignedIn> users)
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
            var delivery = await client.RevocationDeliveryAsync(admin, eventId, OrdersInstances);
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
    private static async Task WarmUpAsync(PlatformClient client, ScaleStack stack, string admin, List<SignedIn> users, string liveToken)
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
    private static async Task<TimeSpan?> RefusedAfterAsync(PlatformClient client, string token, Uri orders, long started)
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

    private static void Append(StringBuilder report, string phase, Phase result, double? target)
    {
        var rows = new (string Name, Func<Trial, double> Value)[]
        {
            ("request sent → event written", t => t.Written),
            ("request sent → operator answered 204", t => t.Answered),
            ("request sent → event published (broker confirmed)", t => t.Published),
            ("request sent → last instance applied (receipt)", t => t.Applied),
            ("**request sent → last instance refuses**", t => t.Refused),
        };
        foreach (var (name, value) in rows)
        {
            var samples = result.Trials.Select(value).ToList();
            var p99 = Percentiles.Of(samples, 99);
            var verdict = value == rows[^1].Value && target is { } bound ? (p99 <= bound ? $"≤ {bound} ms: met" : $"≤ {bound} ms: missed") : "";
            report.AppendLine(CultureInfo.InvariantCulture,
                $"| {phase} | {name} | {Percentiles.Ms(Percentiles.Of(samples, 50))} | {Percentiles.Ms(Percentiles.Of(samples, 95))} | {Percentiles.Ms(p99)} | {Percentiles.Ms(samples.Max())} | {verdict} |");
        }
    }
}
