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
            var settled = await MachineSettle.WaitAsync(TimeSpan.FromMinutes(2));

            var report = new StringBuilder();
            report.AppendLine(CultureInfo.InvariantCulture, $"""

                ### Peer comparison: the library against stock JwtBearer (wrk, 2 threads, {Connections} connections)

                Three apps with the same `GET /ping` returning `sub`, in Production, against one real Identity: stock
                `AddJwtBearer` (Authority and Audience only), `AddPlatformResourceServer` (deny-list live) and no
                authentication (the floor). {Rounds} rounds of {seconds} s after a discarded warm-up, the order reversed every
                round; ratios are per round. Targets: library/stock ≥ {RepeatTarget} on repeat tokens, ≥ {FirstSeenTarget} on first-seen ones.
                Tokens minted through refresh at {mintRate:F0}/s. First-seen runs stop sending when their tokens
                are used up, so their rate is connections / mean latency (Little's law) rather than requests / wrk's duration;
                in each round both apps get the same tokens, new to both, right after a discarded primer of a tenth as many.
                The {settled}.

                """);
            Console.Write(report);
            const string Repeat100 = "Repeat tokens, 100 distinct";
            var repeat100 = await RoundsAsync(Repeat100, apps, ["library", "stock", "none"], Rounds, () => Task.FromResult<RoundLines>(new(hundred, null)), seconds, null);
            Table(report, Repeat100, repeat100, ("library", "stock", RepeatTarget), ("library", "none", null), ("stock", "none", null));
            var repeatMany = $"Repeat tokens, {ManyTokens.ToString("N0", CultureInfo.InvariantCulture).Replace(',', ' ')} distinct";
            var repeatManyResults = await RoundsAsync(repeatMany, apps, ["library", "stock"], Rounds, () => Task.FromResult<RoundLines>(new(many, null)), seconds, null);
            Table(report, repeatMany, repeatManyResults, ("library", "stock", RepeatTarget));

            // A fresh file per round, the same for both apps: neither process has seen its tokens, and both validate
            // the same ones. A run lasts only as long as its tokens (a tenth of a second or so), so a round's minting
            // must not still be settling when it starts.
            var script = Path.Combine(TestInfrastructure.RepositoryRoot, "benchmarks", "Benchmarks", "Peer", "first-seen.lua");
            var perRun = 1000 * seconds;
            // Minting is the slow part (a refresh per token); short runs vary by several percent, so the full run takes eight.
            var firstSeenRounds = QuickMode.Pick(full: 8, quick: 2);
            var firstSeenTitle = $"First-seen tokens ({perRun} per run, each request a token never presented before)";
            var firstSeen = await RoundsAsync(firstSeenTitle, apps, ["library", "stock"], firstSeenRounds, async () =>
            {
                var measured = await tokens.MintFileAsync(perRun);
                var primer = await tokens.MintFileAsync(perRun / 10);
                await MachineSettle.WaitAsync(TimeSpan.FromSeconds(15));
                return new RoundLines(measured, primer);
            }, seconds, script);
            Table(report, firstSeenTitle, firstSeen,
                ("library", "stock", FirstSeenTarget));
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
        IReadOnlyDictionary<string, Uri> apps, string[] order, int rounds, Func<Task<RoundLines>> roundLines, int seconds, string? script)
    {
        var results = order.ToDictionary(app => app, _ => new List<WrkResult>());
        var used = order.ToDictionary(app => app, _ => default(Usage));
        for (var round = -1; round < rounds; round++)
        {
            // Lines first, so minting never falls between two apps of one round.
            var lines = await roundLines();
            var appOrder = round % 2 == 0 ? order : order.Reverse().ToArray();
            // A first-seen run lasts a tenth of a second: without a primer just before, whichever app went first after
            // the pause for minting measured the pause (0.73-0.94 going first, 0.96-1.02 going second).
            if (lines.Primer is { } primer)
            {
                foreach (var app in appOrder)
                    await Wrk.RunAsync(apps[app], primer, seconds, Connections, script: script);
            }

            foreach (var app in appOrder)
            {
                var before = await UsageAsync(apps[app]);
                var result = await Wrk.RunAsync(apps[app], lines.Measured, seconds, Connections, script: script);
                used[app] += await UsageAsync(apps[app]) - before;
                if (result.Non2xx > 0 || result.SocketErrors > 0)
                    throw new InvalidOperationException($"The {app} app answered {result.Non2xx} non-2xx and had {result.SocketErrors} socket errors.");
                if (round >= 0)
                    results[app].Add(result);
                else
                    used[app] = default;
            }
        }

        foreach (var app in order)
            PerRequest[(title, app)] = used[app] / results[app].Sum(r => r.Requests);
        return results;
    }

    /// <summary>The lines a round's runs send, and a few new ones each app gets just before them, discarded.</summary>
    private sealed record RoundLines(string Measured, string? Primer);

    private static readonly HttpClient Probe = new() { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>What an app's process spent per request over the measured rounds (one probe request each side of a run included).</summary>
    private static readonly Dictionary<(string Title, string App), (double Bytes, double CpuMicroseconds)> PerRequest = [];

    /// <summary>A process's allocations and CPU time so far, as its <c>/usage</c> answers.</summary>
    private readonly record struct Usage(long Bytes, long CpuTicks)
    {
        public static Usage operator -(Usage after, Usage before) => new(after.Bytes - before.Bytes, after.CpuTicks - before.CpuTicks);

        public static Usage operator +(Usage total, Usage run) => new(total.Bytes + run.Bytes, total.CpuTicks + run.CpuTicks);

        public static (double Bytes, double CpuMicroseconds) operator /(Usage total, long requests) =>
            (total.Bytes / (double)requests, TimeSpan.FromTicks(total.CpuTicks).TotalMicroseconds / requests);
    }

    private static async Task<Usage> UsageAsync(Uri app)
    {
        var parts = (await Probe.GetStringAsync(new Uri(app, "/usage"))).Split(' ');
        return new Usage(long.Parse(parts[0], CultureInfo.InvariantCulture), long.Parse(parts[1], CultureInfo.InvariantCulture));
    }

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
        // CPU per request is the steadier figure where two cores are shared with wrk: it does not move with scheduling.
        report.AppendLine().AppendLine("Per request, whole process, around each measured run: bytes allocated "
            + string.Join(", ", apps.Select(a => $"{a} {PerRequest[(title, a)].Bytes.ToString("F0", CultureInfo.InvariantCulture)}"))
            + "; CPU µs " + string.Join(", ", apps.Select(a => $"{a} {PerRequest[(title, a)].CpuMicroseconds.ToString("F1", CultureInfo.InvariantCulture)}")) + ".");
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
}
