using System.Diagnostics;
using System.Net;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Platform.Benchmarks.WholeSystem;

/// <summary>
/// Emergency key revocation on real processes: each trial takes a token Orders has accepted (and cached), revokes the
/// key that signed it over the operator API, and polls Orders until the first 401. The next trial's tokens come from
/// refreshes, so they are signed by the key that replaced the revoked one. Writes a markdown fragment.
/// </summary>
public static class KeyRevocationRun
{
    public static async Task<int> RunAsync(int trials, string outputFile)
    {
        var report = new StringBuilder();
        await using var stack = await SystemStack.StartAsync();
        using var client = new PlatformClient(stack);
        var email = $"bench-keys-{Guid.NewGuid():N}@example.com";
        const string password = "bench key revocation passphrase";
        await client.SignUpAsync(email, password);
        var (_, userRefresh, _) = await client.LogInAsync(email, password);
        var (_, adminRefresh, _) = await client.LogInAsync(stack.AdminEmail, stack.AdminPassword, PlatformClient.OperatorResource);

        var fromRequest = new List<double>();
        var fromAnswer = new List<double>();
        var timeouts = 0;
        // The first trial is a warm-up (first use of the route, the outbox path and the consumer) and is not counted.
        for (var trial = 0; trial <= trials; trial++)
        {
            string userToken, adminToken;
            (userToken, userRefresh) = await client.RefreshAsync(userRefresh);
            (adminToken, adminRefresh) = await client.RefreshAsync(adminRefresh, PlatformClient.OperatorResource);
            await AcceptedAsync(client, userToken);
            var kid = new JsonWebToken(userToken).Kid;

            var started = Stopwatch.GetTimestamp();
            await client.RevokeKeyAsync(adminToken, kid);
            var answered = Stopwatch.GetElapsedTime(started);
            while (await client.GetOrdersStatusAsync(userToken, "/orders") != HttpStatusCode.Unauthorized)
            {
                if (Stopwatch.GetElapsedTime(started) > TimeSpan.FromSeconds(5))
                {
                    timeouts++;
                    break;
                }
            }

            var refused = Stopwatch.GetElapsedTime(started);
            if (trial == 0)
                continue;
            fromRequest.Add(refused.TotalMilliseconds);
            fromAnswer.Add((refused - answered).TotalMilliseconds);
        }

        report.AppendLine(CultureInfo.InvariantCulture, $"\n### Key revocation propagation ({fromRequest.Count} trials after one warm-up: revoke the signing key of a cached token, poll Orders until 401)\n");
        report.AppendLine("| measured from | p50 ms | p95 ms | p99 ms | max ms | p99 target ≤ 50 ms |\n|---|---:|---:|---:|---:|---|");
        foreach (var (name, samples) in new[] { ("operator request sent", fromRequest), ("operator answered 200", fromAnswer) })
        {
            var p99 = Percentiles.Of(samples, 99);
            report.AppendLine(CultureInfo.InvariantCulture,
                $"| {name} | {Percentiles.Ms(Percentiles.Of(samples, 50))} | {Percentiles.Ms(Percentiles.Of(samples, 95))} | {Percentiles.Ms(p99)} | {Percentiles.Ms(samples.Max())} | {(p99 <= 50 ? "met" : "missed")} |");
        }

        report.AppendLine(CultureInfo.InvariantCulture, $"\nTrials that hit the 5 s bound: {timeouts}.");
        await File.WriteAllTextAsync(outputFile, report.ToString());
        return 0;
    }

    /// <summary>Presented until accepted (Orders may first need the new key), then twice more so it is served from the cache.</summary>
    private static async Task AcceptedAsync(PlatformClient client, string token)
    {
        var started = Stopwatch.GetTimestamp();
        while (await client.GetOrdersStatusAsync(token, "/orders") != HttpStatusCode.OK)
        {
            if (Stopwatch.GetElapsedTime(started) > TimeSpan.FromSeconds(10))
                throw new InvalidOperationException("Orders did not accept a token of the new signing key within 10 s.");
            await Task.Delay(20);
        }

        for (var i = 0; i < 2; i++)
        {
            if (await client.GetOrdersStatusAsync(token, "/orders") != HttpStatusCode.OK)
                throw new InvalidOperationException("Orders refused a token it had just accepted.");
        }
    }
}
