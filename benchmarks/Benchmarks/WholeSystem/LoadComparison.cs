using System.Net;
using Microsoft.IdentityModel.JsonWebTokens;
using Platform.Contracts;

namespace Platform.Benchmarks.WholeSystem;

/// <summary>
/// Orders under wrk with an empty deny-list (instance A) against 10 000 entries (instance B, same database, users and
/// tokens). A lookup costs tens of nanoseconds of a request of about half a millisecond, far below the drift of a shared
/// two-core machine between runs, so the two instances run back to back in each round, alternating which goes first,
/// and each round yields its own ratio.
/// </summary>
public static class LoadComparison
{
    // Quick mode fills fewer: publishing them through the broker is most of its set-up time, and a lookup costs the same.
    private static readonly int DenyListEntries = QuickMode.Pick(full: 10_000, quick: 2_000);

    // Grouped as the rest of the report writes numbers ("10 000"), whatever the culture.
    private static readonly string Entries = DenyListEntries.ToString("#,0", CultureInfo.InvariantCulture).Replace(',', ' ');

    // Even, so each instance goes first in as many rounds as it goes second; many short rounds rather than a few long
    // ones, because a disturbance on this machine lasts seconds and spoils a round, and a median shrugs off a few.
    // Quick mode keeps four, still even, enough to see a ratio move but not to trust a 5% band.
    private static readonly int Rounds = QuickMode.Pick(full: 10, quick: 2);

    private const int Connections = 32;

    private sealed record Pair(WrkResult Empty, WrkResult Filled)
    {
        public double Ratio => Filled.RequestsPerSecond / Empty.RequestsPerSecond;
    }

    public static async Task RunAsync(SystemStack stack, PlatformClient client, IReadOnlyList<(string Name, string LinesFile)> routes,
        int users, int loadSeconds, StringBuilder report)
    {
        ArgumentNullException.ThrowIfNull(stack);
        ArgumentNullException.ThrowIfNull(routes);
        var (probeToken, probeSession) = await CreateProbeAsync(client);
        await ExpectAsync(client, stack, probeToken, HttpStatusCode.OK, HttpStatusCode.OK, "before the fill");
        await DenyListFiller.FillAsync(stack.FilledVirtualHost, DenyListEntries,
            probeSession with { RevokedAt = DateTimeOffset.UtcNow });
        await ExpectAsync(client, stack, probeToken, HttpStatusCode.OK, HttpStatusCode.Unauthorized, "after the fill");

        // Discarded: JIT, connection pools and the token caches of both instances warm up here, not in the figures.
        foreach (var (_, lines) in routes)
        {
            await Wrk.RunAsync(stack.Orders, lines, Math.Max(2, loadSeconds), Connections);
            await Wrk.RunAsync(stack.FilledOrders, lines, Math.Max(2, loadSeconds), Connections);
        }

        var pairs = routes.Select(_ => new List<Pair>()).ToArray();
        for (var round = 0; round < Rounds; round++)
        {
            for (var route = 0; route < routes.Count; route++)
            {
                var lines = routes[route].LinesFile;
                if (round % 2 == 0)
                {
                    var empty = await Wrk.RunAsync(stack.Orders, lines, loadSeconds, Connections);
                    pairs[route].Add(new Pair(empty, await Wrk.RunAsync(stack.FilledOrders, lines, loadSeconds, Connections)));
                }
                else
                {
                    var filled = await Wrk.RunAsync(stack.FilledOrders, lines, loadSeconds, Connections);
                    pairs[route].Add(new Pair(await Wrk.RunAsync(stack.Orders, lines, loadSeconds, Connections), filled));
                }
            }
        }

        // Every entry shares the probe's revocation time, so its refusal here shows the purge took none during the rounds.
        await ExpectAsync(client, stack, probeToken, HttpStatusCode.OK, HttpStatusCode.Unauthorized, "after the load runs");

        report.AppendLine(CultureInfo.InvariantCulture,
            $"\n### Orders under load (wrk, 2 threads, {Connections} connections, {loadSeconds} s per run, loopback, {users / 2} distinct users per route)\n");
        report.AppendLine(CultureInfo.InvariantCulture,
            $"Two Orders processes on one database serve the same tokens, A with an empty deny-list and B holding {Entries} entries; " +
            $"after a discarded warm-up of both, {Rounds} rounds run A and B back to back on each route, alternating which goes first. " +
            $"Figures are medians over the rounds, B/A the median of the per-round ratios.\n");
        report.AppendLine(CultureInfo.InvariantCulture,
            $"| route | A (empty) req/s | A p99 ms | B ({Entries}) req/s | B p99 ms | B/A req/s | B/A per round | within 5% | non-2xx / socket errors |");
        report.AppendLine("|---|---:|---:|---:|---:|---:|---|---|---|");
        for (var route = 0; route < routes.Count; route++)
            Row(report, routes[route].Name, pairs[route]);
    }

    private static void Row(StringBuilder report, string route, List<Pair> pairs)
    {
        // Medians: one run disturbed by other work on the machine moves a mean, not a median.
        double Median(Func<Pair, double> figure) => Percentiles.Median([.. pairs.Select(figure)]);
        var ratio = Median(p => p.Ratio);
        var perRound = string.Join(", ", pairs.Select(p => p.Ratio.ToString("P1", CultureInfo.InvariantCulture)));
        report.AppendLine(CultureInfo.InvariantCulture,
            $"| {route} | {Median(p => p.Empty.RequestsPerSecond):F0} | {Percentiles.Ms(Median(p => p.Empty.P99Milliseconds))} " +
            $"| {Median(p => p.Filled.RequestsPerSecond):F0} | {Percentiles.Ms(Median(p => p.Filled.P99Milliseconds))} " +
            $"| {ratio.ToString("P1", CultureInfo.InvariantCulture)} | {perRound} | {(Math.Abs(1 - ratio) <= 0.05 ? "met" : "missed")} " +
            $"| A {pairs.Sum(p => p.Empty.Non2xx)} / {pairs.Sum(p => p.Empty.SocketErrors)}, B {pairs.Sum(p => p.Filled.Non2xx)} / {pairs.Sum(p => p.Filled.SocketErrors)} |");
    }

    /// <summary>
    /// A user of its own, kept out of the load lines: its session is the last of B's fill, so its token must be
    /// refused by B and accepted by A, which shows the fill landed on B and nowhere else.
    /// </summary>
    private static async Task<(string Token, SessionRevoked Session)> CreateProbeAsync(PlatformClient client)
    {
        var email = $"bench-probe-{Guid.NewGuid():N}@example.com";
        var password = "bench-probe-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        await client.SignUpAsync(email, password);
        var (token, _, _) = await client.LogInAsync(email, password);
        var parsed = new JsonWebToken(token);
        var session = new SessionRevoked(Guid.Parse(parsed.GetPayloadValue<string>("sid")), Guid.Parse(parsed.Subject),
            DateTimeOffset.UtcNow, SessionRevokedReasons.Admin);
        return (token, session);
    }

    private static async Task ExpectAsync(PlatformClient client, SystemStack stack, string token,
        HttpStatusCode fromEmpty, HttpStatusCode fromFilled, string when)
    {
        var empty = await client.GetOrdersStatusAsync(token, "/orders");
        var filled = await client.GetOrdersStatusAsync(token, "/orders", stack.FilledOrders);
        if (empty != fromEmpty || filled != fromFilled)
        {
            throw new InvalidOperationException(
                $"Deny-lists not as the comparison needs {when}: the probe session got {(int)empty} from A and {(int)filled} from B, " +
                $"expected {(int)fromEmpty} and {(int)fromFilled}.");
        }
    }
}
