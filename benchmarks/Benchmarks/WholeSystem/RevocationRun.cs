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
    private static readonly TimeSpan LoadLeadIn = TimeSpan.FromSeconds(QuickMode.Pick(8, 2));

    // The steady load's rate, requests per second over all instances: the rate the under-load target was set at.
    private const int SteadyRate = 800;

    public static async Task<int> RunAsync(int trials, int loadConnections, string outputFile)
    {
        await using var stack = await ScaleStack.StartAsync(1, OrdersInstances);
        using var client = new PlatformClient(stack.Identity);
        var perPhase = RevocationTrials.WarmUp + trials;
        var saturatedPhase = RevocationTrials.WarmUp + Math.Max(20, trials / 2);
        var users = await UserSeed.SeedAsync(stack.IdentityDatabase, 2 * perPhase + saturatedPhase + LoadUsers + RevocationTrials.WarmUpUsers, "revocation");
        var tokens = await RevocationTrials.LogInAsync(client, users);
        var (admin, _, _) = await client.LogInAsync(stack.AdminEmail, stack.AdminPassword, PlatformClient.OperatorResource);
        var pace = TimeSpan.FromSeconds((double)loadConnections / SteadyRate);

        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture,
            $"\n### Revocation propagation ({trials} trials per phase after {RevocationTrials.WarmUp} not counted: deactivate over the operator API, poll all {OrdersInstances} Orders instances, {RevocationTrials.PollersPerInstance} pollers each, until each answers 401)\n");
        report.AppendLine(CultureInfo.InvariantCulture, $"""
            Targets: p99 ≤ 25 ms idle and ≤ 50 ms under a steady load, from the operator's request to the last instance's
            first 401. The steady load is wrk on {loadConnections} connections, each pacing its `GET /orders` one per
            {pace.TotalMilliseconds:F0} ms (about {SteadyRate} req/s, the load the target was set under); the saturating
            load is the same connections unpaced, every core busy, and has no target. Measured after {RevocationTrials.WarmUpTime.TotalSeconds:F0} s of
            deactivations and reactivations, once every process has recompiled its hot paths (see the comment in
            `RevocationRun`). The split comes from the event's delivery record: written = the deactivation's
            transaction time, published = the broker's confirm, applied = the slowest instance's receipt; all on this
            machine's clock, as is the request.

            | phase | measured | p50 ms | p95 ms | p99 ms | max ms | target |
            |---|---|---:|---:|---:|---:|---|
            """);
        var loadTokens = tokens.Skip(2 * perPhase + saturatedPhase).Take(LoadUsers).ToList();
        await RevocationTrials.WarmUpAsync(client, stack, admin, tokens.TakeLast(RevocationTrials.WarmUpUsers).ToList(), loadTokens[0].Token);
        var idle = await RevocationTrials.TrialsAsync(client, stack, admin, tokens.Take(perPhase).ToList());
        Append(report, "idle", idle, target: 25);

        var (steady, steadyLoad) = await UnderLoadAsync(client, stack, admin, tokens.Skip(perPhase).Take(perPhase).ToList(), loadTokens, loadConnections, pace);
        Append(report, $"steady load ({steadyLoad.RequestsPerSecond:F0} req/s)", steady, target: 50);
        var (saturated, saturatingLoad) = await UnderLoadAsync(client, stack, admin, tokens.Skip(2 * perPhase).Take(saturatedPhase).ToList(), loadTokens, loadConnections, pace: null);
        Append(report, $"saturating load ({saturatingLoad.RequestsPerSecond:F0} req/s)", saturated, target: null);

        foreach (var (name, load) in new[] { ("steady", steadyLoad), ("saturating", saturatingLoad) })
            report.AppendLine(CultureInfo.InvariantCulture,
                $"\nThe {name} load meanwhile: {load.RequestsPerSecond:F0} req/s over the {OrdersInstances} instances, worst p99 {Percentiles.Ms(load.P99Milliseconds)} ms, non-2xx {load.Non2xx}, socket errors {load.SocketErrors}.");
        report.AppendLine(CultureInfo.InvariantCulture,
            $"\nTrials that hit the {RevocationTrials.TrialBound.TotalSeconds:F0} s bound: idle {idle.TimedOut}, steady load {steady.TimedOut}, saturating load {saturated.TimedOut}.");
        await File.WriteAllTextAsync(outputFile, report.ToString());
        return 0;
    }

    /// <summary>The trials while wrk loads every Orders instance, after a lead-in that lets the load's own code settle.</summary>
    private static async Task<(RevocationTrials.Phase Phase, WrkResult Load)> UnderLoadAsync(
        PlatformClient client, ScaleStack stack, string admin, List<RevocationTrials.SignedIn> users, List<RevocationTrials.SignedIn> loadUsers, int connections, TimeSpan? pace)
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
            var phase = await RevocationTrials.TrialsAsync(client, stack, admin, users);
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

    private static void Append(StringBuilder report, string phase, RevocationTrials.Phase result, double? target)
    {
        var rows = new (string Name, Func<RevocationTrials.Trial, double> Value)[]
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
