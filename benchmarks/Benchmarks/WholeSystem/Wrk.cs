using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Platform.Benchmarks.WholeSystem;

public sealed record WrkResult(double RequestsPerSecond, double P99Milliseconds, long Non2xx, long SocketErrors, long Requests = 0);

/// <summary>Runs wrk against loopback with benchmarks/load/orders.lua, which cycles through "token path" lines.</summary>
public static partial class Wrk
{
    /// <param name="script">Another script taking the same file and printing the same RESULT line; orders.lua by default.</param>
    public static Task<WrkResult> RunAsync(
        Uri baseUrl, string linesFile, int seconds, int connections, int threads = 2, string? script = null) =>
        RunCoreAsync(baseUrl, linesFile, $"{seconds}s", connections, threads, script, interval: null, CancellationToken.None);

    /// <summary>Keeps the load on until <paramref name="stop"/> fires; wrk then reports what it measured so far.</summary>
    /// <param name="interval">Paces each connection: this long before each of its requests. Null: as fast as served.</param>
    public static Task<WrkResult> RunUntilAsync(Uri baseUrl, string linesFile, int connections, TimeSpan? interval, CancellationToken stop) =>
        RunCoreAsync(baseUrl, linesFile, "1h", connections, threads: 1, script: null, interval, stop);

    private static async Task<WrkResult> RunCoreAsync(
        Uri baseUrl, string linesFile, string duration, int connections, int threads, string? script, TimeSpan? interval, CancellationToken stop)
    {
        script ??= Path.Combine(TestInfrastructure.RepositoryRoot, "benchmarks", "load", "orders.lua");
        var start = new ProcessStartInfo("wrk")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { $"-t{threads}", $"-c{connections}", $"-d{duration}", "--timeout", "5s", "-s", script,
                     baseUrl.ToString().TrimEnd('/'), "--", linesFile, threads.ToString(CultureInfo.InvariantCulture) })
            start.ArgumentList.Add(argument);
        // For scripts that derive their figures from the load's shape; wrk itself does not tell them.
        start.Environment["WRK_CONNECTIONS"] = connections.ToString(CultureInfo.InvariantCulture);
        if (interval is { } pace)
            start.Environment["WRK_INTERVAL_MS"] = ((int)pace.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("wrk did not start.");
        // SIGINT makes wrk stop its connections and print its summary, as Ctrl-C does.
        await using var interrupt = stop.Register(() => Process.Start("kill", ["-INT", process.Id.ToString(CultureInfo.InvariantCulture)])?.Dispose());
        var output = await process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        await process.WaitForExitAsync();
        var match = ResultLine().Match(output);
        if (process.ExitCode != 0 || !match.Success)
            throw new InvalidOperationException("wrk failed: " + await process.StandardError.ReadToEndAsync());
        long Get(string name) => long.Parse(match.Groups[name].Value, CultureInfo.InvariantCulture);
        return new WrkResult(Get("requests") / (Get("duration") / 1e6), Get("p99") / 1000.0, Get("non2xx"), Get("errors"), Get("requests"));
    }

    [GeneratedRegex(@"RESULT requests=(?<requests>\d+) duration_us=(?<duration>\d+) p99_us=(?<p99>\d+) non2xx=(?<non2xx>\d+) errors=(?<errors>\d+)")]
    private static partial Regex ResultLine();
}
