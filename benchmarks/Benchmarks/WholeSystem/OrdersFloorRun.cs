using System.Net;

namespace Platform.Benchmarks.WholeSystem;

/// <summary>
/// Orders' GET /orders/{id} against its floor: the same read through a bare NpgsqlDataSource in the same process,
/// behind the same middleware and authorization (benchmarks/OrdersFloor, injected at start-up, not shipped). Both
/// routes serve the same tokens and ids; rounds alternate which goes first, each round yielding its own ratio.
/// </summary>
public static class OrdersFloorRun
{
    // Even, so each route goes first as often as second.
    private static readonly int Rounds = QuickMode.Pick(full: 8, quick: 2);
    private const int Connections = 32;
    private const int OrdersPerUser = 4;

    private sealed record Measured(WrkResult Load, double BytesPerRequest);

    private sealed record Pair(Measured OrdersRun, Measured FloorRun)
    {
        public WrkResult Orders => OrdersRun.Load;

        public WrkResult Floor => FloorRun.Load;

        public double Ratio => Orders.RequestsPerSecond / Floor.RequestsPerSecond;
    }

    public static async Task<int> RunAsync(int seconds, string outputFile)
    {
        var floor = Path.Combine(TestInfrastructure.RepositoryRoot, "benchmarks", "OrdersFloor", "bin", "Release", "net10.0", "Platform.OrdersFloor.dll");
        if (!File.Exists(floor))
            throw new InvalidOperationException($"Build benchmarks/OrdersFloor in Release first: {floor} is missing.");
        await using var stack = await FloorStack.StartAsync(floor);
        using var client = new PlatformClient(stack.Identity, stack.Orders);
        // Few users: each login is a full PBKDF2 hash, and the figure compares data access, not token variety.
        var users = await UserSeed.SeedAsync(stack.IdentityDatabase, QuickMode.Pick(full: 8, quick: 4), "floor-" + Guid.NewGuid().ToString("N")[..8]);
        var lines = new List<(string Token, Guid Order)>();
        foreach (var (_, email) in users)
        {
            var (token, _, _) = await client.LogInAsync(email, UserSeed.Password);
            for (var i = 0; i < OrdersPerUser; i++)
                lines.Add((token, await client.PlaceOrderAsync(token)));
        }

        await ExpectAsync(client, lines[0].Token, lines[0].Order, HttpStatusCode.OK);
        // Another user's order must read as missing on the floor too, or it would be doing less than Orders.
        await ExpectAsync(client, lines[0].Token, lines[^1].Order, HttpStatusCode.NotFound);

        var ordersFile = Path.Combine(Path.GetTempPath(), $"platform-floor-{Guid.NewGuid():N}.txt");
        var floorFile = Path.Combine(Path.GetTempPath(), $"platform-floor-{Guid.NewGuid():N}.txt");
        // The files hold access tokens for wrk: they must not outlive the run.
        try
        {
            await File.WriteAllLinesAsync(ordersFile, lines.Select(l => $"{l.Token} /orders/{l.Order}"));
            await File.WriteAllLinesAsync(floorFile, lines.Select(l => $"{l.Token} /floor/orders/{l.Order}"));
            // Discarded: JIT, both pools and the token cache warm up here, not in the figures.
            await Wrk.RunAsync(stack.Orders, ordersFile, Math.Max(2, seconds), Connections);
            await Wrk.RunAsync(stack.Orders, floorFile, Math.Max(2, seconds), Connections);
            using var probe = new HttpClient();
            probe.DefaultRequestHeaders.Authorization = new("Bearer", lines[0].Token);
            Task<Measured> Run(string file) => MeasureAsync(probe, stack.Orders, file, seconds);
            var pairs = new List<Pair>();
            for (var round = 0; round < Rounds; round++)
            {
                if (round % 2 == 0)
                {
                    var orders = await Run(ordersFile);
                    pairs.Add(new Pair(orders, await Run(floorFile)));
                }
                else
                {
                    var floorResult = await Run(floorFile);
                    pairs.Add(new Pair(await Run(ordersFile), floorResult));
                }
            }

            await File.WriteAllTextAsync(outputFile, Report(pairs, seconds, users.Length, lines.Count));
        }
        finally
        {
            File.Delete(ordersFile);
            File.Delete(floorFile);
        }

        return 0;
    }

    private static string Report(List<Pair> pairs, int seconds, int users, int orders)
    {
        double Median(Func<Pair, double> figure) => Percentiles.Median([.. pairs.Select(figure)]);
        var ratio = Median(p => p.Ratio);
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture,
            $"\n### Orders' read against a raw Npgsql floor (wrk, 2 threads, {Connections} connections, {seconds} s per run, {users} users, {orders} orders)\n");
        report.AppendLine(CultureInfo.InvariantCulture,
            $"GET /orders/{{id}} through EF Core against GET /floor/orders/{{id}}, the same statement through an NpgsqlDataSource, in the same " +
            $"Orders process behind the same authentication and policy; after a discarded warm-up, {Rounds} rounds alternate which goes first. " +
            $"Figures are medians over the rounds, the ratio the median of the per-round ratios; B/req is the process's allocation during a run over its requests.\n");
        report.AppendLine("| Orders req/s | Orders p99 ms | Orders B/req | floor req/s | floor p99 ms | floor B/req | Orders/floor | per round | target ≥ 0.8 | non-2xx / socket errors |");
        report.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---|---|---|");
        var perRound = string.Join(", ", pairs.Select(p => p.Ratio.ToString("F2", CultureInfo.InvariantCulture)));
        var errors = $"Orders {pairs.Sum(p => p.Orders.Non2xx)} / {pairs.Sum(p => p.Orders.SocketErrors)}, " +
            $"floor {pairs.Sum(p => p.Floor.Non2xx)} / {pairs.Sum(p => p.Floor.SocketErrors)}";
        report.AppendLine(CultureInfo.InvariantCulture,
            $"| {Median(p => p.Orders.RequestsPerSecond):F0} | {Percentiles.Ms(Median(p => p.Orders.P99Milliseconds))} | {Median(p => p.OrdersRun.BytesPerRequest):F0} " +
            $"| {Median(p => p.Floor.RequestsPerSecond):F0} | {Percentiles.Ms(Median(p => p.Floor.P99Milliseconds))} | {Median(p => p.FloorRun.BytesPerRequest):F0} " +
            $"| {ratio:F2} | {perRound} | {(ratio >= 0.8 ? "met" : "missed")} | {errors} |");
        return report.ToString();
    }

    private static async Task<Measured> MeasureAsync(HttpClient probe, Uri orders, string linesFile, int seconds)
    {
        async Task<long> Allocated() => long.Parse(await probe.GetStringAsync(new Uri(orders, "/floor/allocated")), CultureInfo.InvariantCulture);
        var before = await Allocated();
        var load = await Wrk.RunAsync(orders, linesFile, seconds, Connections);
        var allocated = await Allocated() - before;
        // Requests from the rate and the run's length: wrk reports the rate, and the two reads add two requests only.
        return new Measured(load, allocated / (load.RequestsPerSecond * seconds));
    }

    private static async Task ExpectAsync(PlatformClient client, string token, Guid order, HttpStatusCode expected)
    {
        foreach (var path in new[] { $"/orders/{order}", $"/floor/orders/{order}" })
        {
            var status = await client.GetOrdersStatusAsync(token, path);
            if (status != expected)
                throw new InvalidOperationException($"GET {path.Split('/')[1]} answered {(int)status} where {(int)expected} was expected.");
        }
    }
}
