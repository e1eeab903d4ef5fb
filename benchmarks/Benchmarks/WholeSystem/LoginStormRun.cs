using System.Diagnostics;
using System.Net;

namespace Platform.Benchmarks.WholeSystem;

/// <summary>
/// A login storm on real processes: 3 × cores clients log in back to back, so password hashing is saturated, while
/// four probes time the calls that hash nothing: refresh, JWKS, an operator call and an authenticated Orders GET.
/// Two stacks run side by side, one with Identity's hashing gate as configured by default and one with the gate
/// opened wide (MaxConcurrency 1024), in short alternating rounds (gated, open, open, gated, ...) so drift on a shared
/// machine falls on both. Writes a markdown fragment.
/// </summary>
public static class LoginStormRun
{
    private const double TargetP99Ms = 50;
    private const string Password = "bench login storm passphrase";
    private static readonly string[] Calls = ["POST /auth/refresh", "GET /.well-known/jwks.json", "GET /admin/users", "GET /orders (Orders)"];

    /// <param name="seconds">Storm time per configuration, in rounds of about 2.5 s.</param>
    public static async Task<int> RunAsync(int seconds, string outputFile)
    {
        var shared = new Dictionary<string, string>
        {
            // The probes refresh many times a minute from one address; the run measures hashing, not the throttle.
            ["Identity__RateLimit__PermitLimit"] = "1000000",
        };
        // Started side by side: starting is most of a short run.
        var starting = new[]
        {
            Variant.StartAsync("gate on (default settings)", shared),
            Variant.StartAsync("gate off (MaxConcurrency 1024)",
                new Dictionary<string, string>(shared) { ["Identity__PasswordHashing__MaxConcurrency"] = "1024" }),
        };
        try
        {
            await Task.WhenAll(starting);
        }
        catch
        {
            foreach (var started in starting.Where(t => t.IsCompletedSuccessfully))
                await started.Result.DisposeAsync();
            throw;
        }

        await using var gated = starting[0].Result;
        await using var open = starting[1].Result;

        var settled = await MachineSettle.WaitAsync(TimeSpan.FromMinutes(2));
        // Short rounds, many of them: on a shared machine another process's burst then falls on both sides.
        var pairs = Math.Max(1, (int)Math.Round(seconds / 5.0));
        var round = TimeSpan.FromSeconds(seconds / (2.0 * pairs));
        for (var pair = 0; pair < pairs; pair++)
        {
            foreach (var variant in pair % 2 == 0 ? new[] { gated, open } : [open, gated])
                await variant.StormAsync(round);
        }

        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture,
            $"\n### Login storm ({StormClients} clients logging in back to back for {seconds} s per configuration, in alternating rounds; calls timed meanwhile, one at a time per call)\n");
        report.AppendLine(CultureInfo.InvariantCulture,
            $"| call | gate on p50 ms | gate on p99 ms | gate off p50 ms | gate off p99 ms | gate on p99 target ≤ {TargetP99Ms} ms |");
        report.AppendLine("|---|---:|---:|---:|---:|---|");
        foreach (var call in Calls)
        {
            var (on, off) = (gated.Samples[call], open.Samples[call]);
            var p99 = Percentiles.Of(on, 99);
            report.AppendLine(CultureInfo.InvariantCulture,
                $"| {call} | {Percentiles.Ms(Percentiles.Of(on, 50))} | {Percentiles.Ms(p99)} | {Percentiles.Ms(Percentiles.Of(off, 50))} | {Percentiles.Ms(Percentiles.Of(off, 99))} | {(p99 <= TargetP99Ms ? "met" : "missed")} |");
        }

        report.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"- The {settled}.");
        foreach (var variant in new[] { gated, open })
        {
            report.AppendLine(CultureInfo.InvariantCulture,
                $"- {variant.Name}: logins ok {variant.LoginsOk}, 503 {variant.LoginsBusy}, other {variant.LoginsOther}; probe calls {variant.Samples.Values.Sum(s => s.Count)}, failed {variant.ProbeFailures}.");
        }

        await File.WriteAllTextAsync(outputFile, report.ToString());
        return 0;
    }

    private static int StormClients => 3 * Environment.ProcessorCount;

    /// <summary>One stack and what its rounds measured.</summary>
    private sealed class Variant : IAsyncDisposable
    {
        private readonly SystemStack _stack;
        private readonly PlatformClient _storm;
        private readonly PlatformClient _probe;
        private readonly string _email;
        private string _refreshToken = "";
        private string _userToken = "";
        private string _adminToken = "";

        private Variant(string name, SystemStack stack, string email)
        {
            Name = name;
            _stack = stack;
            _email = email;
            // Separate connection pools, so the probes never queue for a connection behind a login.
            _storm = new PlatformClient(stack);
            _probe = new PlatformClient(stack);
        }

        public string Name { get; }

        public Dictionary<string, List<double>> Samples { get; } = Calls.ToDictionary(c => c, _ => new List<double>());

        public int LoginsOk { get; private set; }

        public int LoginsBusy { get; private set; }

        public int LoginsOther { get; private set; }

        public int ProbeFailures { get; private set; }

        public static async Task<Variant> StartAsync(string name, IReadOnlyDictionary<string, string> identitySettings)
        {
            var stack = await SystemStack.StartAsync(identitySettings, filledOrders: false);
            var variant = new Variant(name, stack, $"bench-storm-{Guid.NewGuid():N}@example.com");
            await variant._probe.SignUpAsync(variant._email, Password);
            // The probes are another user: logins and refreshes of one user take the same row lock, which is not hashing.
            var prober = $"bench-probe-{Guid.NewGuid():N}@example.com";
            await variant._probe.SignUpAsync(prober, Password);
            (variant._userToken, variant._refreshToken, _) = await variant._probe.LogInAsync(prober, Password);
            (variant._adminToken, _, _) = await variant._probe.LogInAsync(stack.AdminEmail, stack.AdminPassword, PlatformClient.OperatorResource);
            // One of each call before any round, so no first call's start-up work is counted.
            await variant.ProbeAsync(Calls.Length, record: false, CancellationToken.None);
            return variant;
        }

        public async Task StormAsync(TimeSpan duration)
        {
            using var stop = new CancellationTokenSource(duration);
            var storm = Enumerable.Range(0, StormClients).Select(_ => Task.Run(() => LogInUntilAsync(stop.Token))).ToArray();
            // The probes start once every client has a hash in flight or queued.
            await Task.Delay(TimeSpan.FromMilliseconds(300));
            var probes = Enumerable.Range(0, Calls.Length).Select(call => Task.Run(() => ProbeAsync(call, record: true, stop.Token))).ToArray();
            await Task.WhenAll(probes);
            await Task.WhenAll(storm);
        }

        private async Task LogInUntilAsync(CancellationToken stop)
        {
            while (!stop.IsCancellationRequested)
            {
                var status = await _storm.LogInStatusAsync(_email, Password);
                lock (Samples)
                {
                    if (status == HttpStatusCode.OK)
                        LoginsOk++;
                    else if (status == HttpStatusCode.ServiceUnavailable)
                        LoginsBusy++;
                    else
                        LoginsOther++;
                }
            }
        }

        /// <param name="call">An index into <see cref="Calls"/>, or <c>Calls.Length</c> for one of each.</param>
        private async Task ProbeAsync(int call, bool record, CancellationToken stop)
        {
            do
            {
                foreach (var index in call == Calls.Length ? Enumerable.Range(0, Calls.Length) : [call])
                {
                    var started = Stopwatch.GetTimestamp();
                    var ok = await CallAsync(index);
                    var took = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    lock (Samples)
                    {
                        if (!ok)
                            ProbeFailures++;
                        else if (record)
                            Samples[Calls[index]].Add(took);
                    }
                }

                // A pause as a client's, so the probes sample the storm rather than add to it.
                await Task.Delay(TimeSpan.FromMilliseconds(20), CancellationToken.None);
            }
            while (record && !stop.IsCancellationRequested);
        }

        private async Task<bool> CallAsync(int index)
        {
            switch (index)
            {
                case 0:
                    // Each refresh rotates the token; only the refresh probe touches it.
                    (_, _refreshToken) = await _probe.RefreshAsync(_refreshToken);
                    return true;
                case 1:
                    return await _probe.GetJwksStatusAsync() == HttpStatusCode.OK;
                case 2:
                    return await _probe.ListUsersStatusAsync(_adminToken) == HttpStatusCode.OK;
                default:
                    return await _probe.GetOrdersStatusAsync(_userToken, "/orders") == HttpStatusCode.OK;
            }
        }

        public async ValueTask DisposeAsync()
        {
            _storm.Dispose();
            _probe.Dispose();
            await _stack.DisposeAsync();
        }
    }
}
