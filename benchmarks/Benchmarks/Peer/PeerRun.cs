using Platform.Benchmarks.WholeSystem;

namespace Platform.Benchmarks.Peer;

/// <summary>
/// The library against stock JwtBearer per request, and both against no authentication: one real Identity, the three
/// apps of <see cref="PeerApp"/>, wrk with 2 threads and 32 connections. Apps run back to back in each round, the
/// order reversed every round, a discarded warm-up first; each round yields its own ratio and the report gives medians.
/// </summary>
public static class PeerRun
{
    private const int Connections = 32;
    private static readonly int Rounds = QuickMode.Pick(full: 6, quick: 2);
    private const double RepeatTarget = 1.3;
    private const double FirstSeenTarget = 0.95;

    // Minted one refresh each, the slow part of a quick run.
    private static readonly int ManyTokens = QuickMode.Pick(full: 10_000, quick: 2_000);

    public static async Task<int> RunAsync(int seconds, string output)
    {
        var directory = Directory.CreateTempSubdirectory("platform-peer-tokens-").FullName;
        try
        {
            await using var stack = await PeerStack.StartAsync();
            using var client = new PlatformClient(stack.Identity);
            var tokens = new PeerTokens(stack, client, directory);
            await tokens.LogInAsync();
            var many = await tokens.MintFileAsync(ManyTokens);
            var mintRate = tokens.MintRate;
            var hundred = await tokens.HeadAsync(many, 100);
            var apps = stack.Apps;

            var report = new StringBuilder();
            report.AppendLine(CultureInfo.InvariantCulture, $"""

                ### Peer comparison: the library against stock JwtBearer (wrk, 2 threads, {Connections} connections)

                Three apps with the same `GET /ping` returning `sub`, in Production, against one real Identity: stock
                `AddJwtBearer` (Authority and Audience only), `AddPlatformResourceServer` (deny-list live) and no
                authentication (the floor). {Rounds} rounds of {seconds} s after a discarded warm-up, the order reversed every
                round; ratios are per round. Targets: library/stock ≥ {RepeatTarget} on repeat tokens, ≥ {FirstSeenTarget} on first-seen ones.
                Tokens minted through refresh at {mintRate:F0}/s. First-seen runs stop sending when their tokens
                are used up, so their rate is connections / mean latency (Little's law) rather than requests / wrk's duration. Load average at the start: {LoadAverage()}.

                """);
            Console.Write(report);
            const string Repeat100 = "Repeat tokens, 100 distinct";
            var repeat100 = await RoundsAsync(Repeat100, apps, ["library", "stock", "none"], Rounds, _ => Task.FromResult(hundred), seconds, null);
            Table(report, Repeat100, repeat100, ("library", "stock", RepeatTarget), ("library", "none", null), ("stock", "none", null));
            var repeatMany = $"Repeat tokens, {ManyTokens.ToString("N0", CultureInfo.InvariantCulture).Replace(',', ' ')} distinct";
            var repeatManyResults = await RoundsAsync(repeatMany, apps, ["library", "stock"], Rounds, _ => Task.FromResult(many), seconds, null);
            Table(report, repeatMany, repeatManyResults, ("library", "stock", RepeatTarget));

            // A fresh file per run: more tokens than a run takes at a full validation's rate, or it idles once they are used up.
            var script = Path.Combine(TestInfrastructure.RepositoryRoot, "benchmarks", "Benchmarks", "Peer", "first-seen.lua");
            var perRun = 500 * seconds;
            // Minting is the slow part (a refresh per token); rounds vary by several percent, so the full run takes six.
            var firstSeenRounds = QuickMode.Pick(full: 6, quick: 2);
            var firstSeenTitle = $"First-seen tokens ({perRun} per run, each request a token never presented before)";
            var firstSeen = await RoundsAsync(firstSeenTitle, apps, ["library", "stock"], firstSeenRounds, _ => tokens.MintFileAsync(perRun), seconds, script);
            Table(report, firstSeenTitle, firstSeen,
                ("library", "stock", FirstSeenTarget));
            report.AppendLine(CultureInfo.InvariantCulture, $"Load average at the end: {LoadAverage()}.");
            await File.WriteAllTextAsync(output, report.ToString());
            return 0;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <returns>Per app, one result per measured round (the warm-up round is dropped).</returns>
    private static async Task<Dictionary<string, List<WrkResult>>> RoundsAsync(string title,
        IReadOnlyDictionary<string, Uri> apps, string[] order, int rounds, Func<string, Task<string>> linesFor, int seconds, string? script)
    {
        var results = order.ToDictionary(app => app, _ => new List<WrkResult>());
        var allocated = order.ToDictionary(app => app, _ => 0L);
        for (var round = -1; round < rounds; round++)
        {
            // Lines first, so minting never falls between two apps of one round.
            var lines = new Dictionary<string, string>();
            foreach (var app in order)
                lines[app] = await linesFor(app);
            foreach (var app in round % 2 == 0 ? order : Enumerable.Reverse(order))
            {
                var allocatedBefore = await AllocatedAsync(apps[app]);
                var result = await Wrk.RunAsync(apps[app], lines[app], seconds, Connections, script: script);
                allocated[app] += await AllocatedAsync(apps[app]) - allocatedBefore;
                if (result.Non2xx > 0 || result.SocketErrors > 0)
                    throw new InvalidOperationException($"The {app} app answered {result.Non2xx} non-2xx and had {result.SocketErrors} socket errors.");
                if (round >= 0)
                    results[app].Add(result);
                else
                    allocated[app] = 0;
            }
        }

        foreach (var app in order)
            BytesPerRequest[(title, app)] = allocated[app] / (double)results[app].Sum(r => r.Requests);
        return results;
    }

    private static readonly HttpClient Probe = new() { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>Bytes per request over the measured rounds (one small probe request each side of a run included).</summary>
    private static readonly Dictionary<(string Title, string App), double> BytesPerRequest = [];

    private static async Task<long> AllocatedAsync(Uri app) =>
        long.Parse(await Probe.GetStringAsync(new Uri(app, "/allocated")), CultureInfo.InvariantCulture);

    private static void Table(StringBuilder report, string title, Dictionary<string, List<WrkResult>> results,
        params (string Of, string To, double? Target)[] ratios)
    {
        var start = report.Length;
        report.AppendLine(CultureInfo.InvariantCulture, $"#### {title}").AppendLine();
        var apps = results.Keys.ToArray();
        report.AppendLine("| round | " + string.Join(" | ", apps.Select(a => a + " req/s")) + " | "
            + string.Join(" | ", ratios.Select(r => $"{r.Of}/{r.To}")) + " |");
        report.AppendLine("|---|" + string.Concat(Enumerable.Repeat("---:|", apps.Length + ratios.Length)));
        var rounds = results[apps[0]].Count;
        for (var round = 0; round < rounds; round++)
        {
            report.AppendLine("| " + (round + 1).ToString(CultureInfo.InvariantCulture) + " | "
                + string.Join(" | ", apps.Select(a => results[a][round].RequestsPerSecond.ToString("F0", CultureInfo.InvariantCulture))) + " | "
                + string.Join(" | ", ratios.Select(r => Ratio(results, r.Of, r.To, round).ToString("F2", CultureInfo.InvariantCulture))) + " |");
        }

        report.AppendLine("| **median** | "
            + string.Join(" | ", apps.Select(a => Median(results[a].Select(r => r.RequestsPerSecond)).ToString("F0", CultureInfo.InvariantCulture))) + " | "
            + string.Join(" | ", ratios.Select(r => MedianRatio(results, r, rounds))) + " |");
        report.AppendLine().AppendLine("Bytes allocated per request, whole process (GC.GetTotalAllocatedBytes around each measured run): "
            + string.Join(", ", apps.Select(a => $"{a} {BytesPerRequest[(title, a)].ToString("F0", CultureInfo.InvariantCulture)}")) + ".");
        report.AppendLine();
        // As each table completes, so a run stopped later still shows what it measured.
        Console.Write(report.ToString(start, report.Length - start));
    }

    private static string MedianRatio(Dictionary<string, List<WrkResult>> results, (string Of, string To, double? Target) ratio, int rounds)
    {
        var median = Median(Enumerable.Range(0, rounds).Select(round => Ratio(results, ratio.Of, ratio.To, round)));
        var verdict = ratio.Target is { } target ? (median >= target ? $" (≥ {target}: met)" : $" (≥ {target}: **not met**)") : "";
        return $"**{median.ToString("F2", CultureInfo.InvariantCulture)}**{verdict}";
    }

    private static double Ratio(Dictionary<string, List<WrkResult>> results, string of, string to, int round) =>
        results[of][round].RequestsPerSecond / results[to][round].RequestsPerSecond;

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string LoadAverage() => File.ReadAllText("/proc/loadavg").Split(' ')[..3] is var parts ? string.Join(' ', parts) : "";
}
