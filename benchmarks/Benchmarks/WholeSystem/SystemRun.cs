using System.Diagnostics;
using System.Net;

namespace Platform.Benchmarks.WholeSystem;

/// <summary>
/// Whole-system figures on real processes: login rate, Orders under wrk with and without 10 000 deny-list entries
/// (<see cref="LoadComparison"/>). Revocation propagation has a run of its own (<see cref="RevocationRun"/>). Writes a
/// markdown fragment.
/// </summary>
public static class SystemRun
{
    public static async Task<int> RunAsync(int users, int loadSeconds, string outputFile)
    {
        var report = new StringBuilder();
        await using var stack = await SystemStack.StartAsync();
        using var client = new PlatformClient(stack);
        var people = await RenewTokensAsync(client, await CreateUsersAsync(client, users, report));
        var linesById = await WriteLinesAsync(people.Where((_, i) => i % 2 == 0), p => $"/orders/{p.OrderId}");
        var linesEmpty = await WriteLinesAsync(people.Where((_, i) => i % 2 == 1), _ => "/orders");
        // The files hold the users' access tokens for wrk: they must not outlive the run.
        try
        {
            await LoadComparison.RunAsync(stack, client, [("GET /orders/{id}", linesById), ("GET /orders (empty result)", linesEmpty)],
                users, loadSeconds, report);
        }
        finally
        {
            File.Delete(linesById);
            File.Delete(linesEmpty);
        }

        await File.WriteAllTextAsync(outputFile, report.ToString());
        return 0;
    }

    private sealed record Person(Guid UserId, string Token, string RefreshToken, Guid OrderId);

    private static async Task<List<Person>> CreateUsersAsync(PlatformClient client, int users, StringBuilder report)
    {
        var runId = Guid.NewGuid().ToString("N")[..8];
        var password = "bench-user-password-" + runId;
        var logins = new List<double>();
        var people = new Person[users];
        var started = Stopwatch.GetTimestamp();
        // Two at a time: each sign-up and login is a 600 000-iteration PBKDF2 on a two-core machine.
        await Parallel.ForAsync(0, users, new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (i, _) =>
        {
            var email = $"bench-{runId}-{i}@example.com";
            var id = await client.SignUpAsync(email, password);
            var (token, refreshToken, took) = await client.LogInAsync(email, password);
            lock (logins)
                logins.Add(took.TotalMilliseconds);
            people[i] = new Person(id, token, refreshToken, i % 2 == 0 ? await client.PlaceOrderAsync(token) : Guid.Empty);
        });
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        // Sign-up and login alternate, each one hash, so logins alone run at about twice the combined rate.
        report.AppendLine(CultureInfo.InvariantCulture, $"\n### Login (PBKDF2-HMAC-SHA256, 600 000 iterations, 2 concurrent clients)\n");
        report.AppendLine("| figure | value |\n|---|---:|");
        report.AppendLine(CultureInfo.InvariantCulture, $"| logins measured | {logins.Count} |");
        report.AppendLine(CultureInfo.InvariantCulture, $"| sign-up + login pairs per second | {users / elapsed:F2} |");
        report.AppendLine(CultureInfo.InvariantCulture, $"| login p50 / p99 ms | {Percentiles.Ms(Percentiles.Of(logins, 50))} / {Percentiles.Ms(Percentiles.Of(logins, 99))} |");
        report.AppendLine(CultureInfo.InvariantCulture, $"| logins per second at 2 concurrent (2 / mean latency) | {2000 / logins.Average():F2} |");
        return [.. people];
    }

    /// <summary>
    /// Access tokens live ten minutes and creating a full run's users takes most of that, so the earliest tokens would
    /// expire during the load rounds or the propagation trials; each user refreshes, as a client would, first.
    /// </summary>
    private static async Task<List<Person>> RenewTokensAsync(PlatformClient client, List<Person> people)
    {
        var renewed = new Person[people.Count];
        await Parallel.ForAsync(0, people.Count, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
        {
            var (token, refreshToken) = await client.RefreshAsync(people[i].RefreshToken);
            renewed[i] = people[i] with { Token = token, RefreshToken = refreshToken };
        });
        return [.. renewed];
    }

    private static async Task<string> WriteLinesAsync(IEnumerable<Person> people, Func<Person, string> path)
    {
        var file = Path.Combine(Path.GetTempPath(), $"platform-bench-{Guid.NewGuid():N}.txt");
        await File.WriteAllLinesAsync(file, people.Select(p => $"{p.Token} {path(p)}"));
        return file;
    }
}
