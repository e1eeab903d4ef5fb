using System.Diagnostics;
using System.Net;

namespace Platform.Benchmarks.WholeSystem;

/// <summary>
/// The platform at scale on one machine: several Identity processes and many Orders processes, every Orders instance
/// under wrk load, first steady, then with a burst of deactivations in the middle. Reports the load each time and how
/// long each deactivation took to be refused by every instance. Writes a markdown fragment.
/// </summary>
public static class ScaleRun
{
    // Each costs a sign-up and a login, two PBKDF2 hashes; quick mode loads the instances with fewer distinct tokens.
    private static readonly int LoadUsers = QuickMode.Pick(full: 40, quick: 10);
    private const int ConnectionsPerInstance = 4;

    public static async Task<int> RunAsync(int identities, int ordersInstances, int burst, int loadSeconds, string outputFile)
    {
        await using var stack = await ScaleStack.StartAsync(identities, ordersInstances);
        // Clients are spread over the Identity instances, as a round-robin front would spread them.
        var clients = stack.Identities.Select(identity => new PlatformClient(identity, stack.Orders[0])).ToList();
        try
        {
            var password = "scale-user-password-" + Guid.NewGuid().ToString("N")[..8];
            var loadTokens = await SignedInUsersAsync(clients, LoadUsers, "load", password);
            var burstUsers = await SignedInUsersAsync(clients, burst, "burst", password);
            var lines = Path.GetTempFileName();
            try
            {
                await File.WriteAllLinesAsync(lines, loadTokens.Select(u => $"{u.Token} /orders"));
                // A warm-up round: first requests pay for JIT, connection pools and the first validation of each token.
                await LoadAllAsync(stack, lines, seconds: 2);
                var steady = await LoadAllAsync(stack, lines, loadSeconds);
                var (admin, _, _) = await clients[0].LogInAsync(stack.AdminEmail, stack.AdminPassword, PlatformClient.OperatorResource);
                var underBurst = LoadAllAsync(stack, lines, loadSeconds);
                await Task.Delay(TimeSpan.FromSeconds(loadSeconds / 3.0));
                var propagation = await BurstAsync(clients, stack.Orders, admin, burstUsers);
                var loaded = await underBurst;
                await File.WriteAllTextAsync(outputFile, Report(stack, burst, loadSeconds, steady, loaded, propagation));
            }
            finally
            {
                // The file holds access tokens for wrk: it must not outlive the run.
                File.Delete(lines);
            }
        }
        finally
        {
            foreach (var client in clients)
                client.Dispose();
        }

        return 0;
    }

    private sealed record SignedInUser(Guid UserId, string Token);

    private sealed record LoadFigures(double RequestsPerSecond, double WorstP99, long Non2xx, long Errors);

    private static async Task<List<SignedInUser>> SignedInUsersAsync(List<PlatformClient> clients, int count, string label, string password)
    {
        var users = new SignedInUser[count];
        // Two at a time: each sign-up and login is a 600 000-iteration PBKDF2 on a two-core machine.
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (i, _) =>
        {
            var client = clients[i % clients.Count];
            var email = $"scale-{label}-{Guid.NewGuid():N}@example.com";
            var id = await client.SignUpAsync(email, password);
            users[i] = new SignedInUser(id, (await client.LogInAsync(email, password)).Token);
        });
        return [.. users];
    }

    /// <summary>One wrk per Orders instance, all at once, so every instance serves while events arrive.</summary>
    private static async Task<LoadFigures> LoadAllAsync(ScaleStack stack, string lines, int seconds)
    {
        var results = await Task.WhenAll(stack.Orders.Select(orders => Wrk.RunAsync(orders, lines, seconds, ConnectionsPerInstance, threads: 1)));
        return new LoadFigures(results.Sum(r => r.RequestsPerSecond), results.Max(r => r.P99Milliseconds),
            results.Sum(r => r.Non2xx), results.Sum(r => r.SocketErrors));
    }

    /// <summary>
    /// Deactivates every burst user at once, spread over the Identity instances; each one's time runs from its
    /// operator request to the moment the last Orders instance refuses its token.
    /// </summary>
    private static async Task<(List<double> FromRequest, List<double> FromAnswer)> BurstAsync(
        List<PlatformClient> clients, IReadOnlyList<Uri> orders, string admin, List<SignedInUser> users)
    {
        var fromRequest = new double[users.Count];
        var fromAnswer = new double[users.Count];
        await Parallel.ForAsync(0, users.Count, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
        {
            var client = clients[i % clients.Count];
            var started = Stopwatch.GetTimestamp();
            await client.DeactivateAsync(admin, users[i].UserId);
            var answered = Stopwatch.GetElapsedTime(started);
            await Task.WhenAll(orders.Select(instance => RefusedAsync(client, users[i].Token, instance, started)));
            var refused = Stopwatch.GetElapsedTime(started);
            fromRequest[i] = refused.TotalMilliseconds;
            fromAnswer[i] = (refused - answered).TotalMilliseconds;
        });
        return ([.. fromRequest], [.. fromAnswer]);
    }

    private static async Task RefusedAsync(PlatformClient client, string token, Uri orders, long started)
    {
        while (await client.GetOrdersStatusAsync(token, "/orders", orders) != HttpStatusCode.Unauthorized)
        {
            if (Stopwatch.GetElapsedTime(started) > TimeSpan.FromSeconds(30))
                throw new InvalidOperationException($"{orders} still accepted a deactivated user's token after 30 s.");
            await Task.Delay(5);
        }
    }

    private static string Report(ScaleStack stack, int burst, int loadSeconds, LoadFigures steady, LoadFigures loaded,
        (List<double> FromRequest, List<double> FromAnswer) propagation)
    {
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture,
            $"\n### Scale run: {stack.Identities.Count} Identity and {stack.Orders.Count} Orders processes, one wrk per Orders instance ({ConnectionsPerInstance} connections, {loadSeconds} s), {burst} deactivations at once a third into the second run\n");
        report.AppendLine("| load | req/s (all instances) | worst instance p99 ms | non-2xx | socket errors |\n|---|---:|---:|---:|---:|");
        report.AppendLine(CultureInfo.InvariantCulture, $"| steady | {steady.RequestsPerSecond:F0} | {Percentiles.Ms(steady.WorstP99)} | {steady.Non2xx} | {steady.Errors} |");
        report.AppendLine(CultureInfo.InvariantCulture, $"| with the deactivation burst | {loaded.RequestsPerSecond:F0} | {Percentiles.Ms(loaded.WorstP99)} | {loaded.Non2xx} | {loaded.Errors} |");
        report.AppendLine(CultureInfo.InvariantCulture, $"\nChange in req/s during the burst run: {(loaded.RequestsPerSecond / steady.RequestsPerSecond - 1) * 100:+0.0;-0.0} %.");
        // Deactivations of one Identity database queue behind each other (the operator lock), so a burst's later requests
        // wait for the earlier ones; the time from each answer shows the propagation alone.
        report.AppendLine(CultureInfo.InvariantCulture,
            $"\nPropagation of each of the {burst} deactivations to all {stack.Orders.Count} instances, until the last instance's first 401:\n");
        report.AppendLine("| measured from | p50 ms | p99 ms | max ms |\n|---|---:|---:|---:|");
        foreach (var (name, samples) in new[] { ("operator request sent", propagation.FromRequest), ("operator answered 204", propagation.FromAnswer) })
            report.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {Percentiles.Ms(Percentiles.Of(samples, 50))} | {Percentiles.Ms(Percentiles.Of(samples, 99))} | {Percentiles.Ms(samples.Max())} |");
        return report.ToString();
    }
}
