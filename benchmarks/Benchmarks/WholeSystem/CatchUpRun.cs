using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Platform.Benchmarks.WholeSystem;

/// <summary>
/// A new Orders instance catching up on many active revocations, on RabbitMQ 4's default message size limit (16 MiB,
/// set on a private node): Identity's tables are seeded by COPY with users and sessions revoked over the last minutes,
/// among them a few real users whose tokens were revoked through the API before Orders started. Measures the time
/// from process start to a Healthy readiness (not Degraded) and the peak RSS, with Orders' own table empty (a new
/// service) and holding the same revocations (as its store queue fills it), and checks that every revoked token is
/// refused on the first request. Writes a markdown fragment.
/// </summary>
public static class CatchUpRun
{
    private const string Password = "bench catch-up passphrase";
    private static readonly TimeSpan ReadyBound = TimeSpan.FromSeconds(90);

    public static async Task<int> RunAsync(int revocations, string outputFile)
    {
        await using var broker = await PrivateRabbitMq.StartAsync("max_message_size = 16777216\n");
        await using var identityDb = await TestDatabase.CreateAsync("bench_catchup_identity");
        await using var ordersDb = await TestDatabase.CreateAsync("bench_catchup_orders");
        var adminEmail = "bench-admin@platform.local";
        var adminPassword = "bench-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var common = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ConnectionStrings__RabbitMq"] = broker.AmqpUri.ToString(),
            ["Logging__LogLevel__Default"] = "Warning",
        };
        var dataDirectory = Directory.CreateTempSubdirectory("platform-bench-").FullName;
        var identityUrl = ServiceProcess.NewUrl();
        await using var identity = ServiceProcess.Start("Identity", identityUrl, new Dictionary<string, string>(common)
        {
            ["Identity__Issuer"] = identityUrl.ToString().TrimEnd('/'),
            ["ConnectionStrings__Identity"] = identityDb.ConnectionString,
            ["Identity__KeyEncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Identity__DataDirectory"] = dataDirectory,
            ["Identity__BootstrapAdmin__Email"] = adminEmail,
            ["Identity__BootstrapAdmin__Password"] = adminPassword,
            ["Identity__RateLimit__PasswordPermitLimit"] = "100000",
        });
        await WaitAsync(identity, "Healthy", TimeSpan.FromMinutes(2));

        using var client = new PlatformClient(identity.Url);
        var (revoked, control) = await RevokeRealTokensAsync(client, adminEmail, adminPassword);

        var now = DateTimeOffset.UtcNow;
        var entries = CatchUpSeed.Generate(revocations, now);
        var seeding = Stopwatch.StartNew();
        await CatchUpSeed.IdentityAsync(identityDb.ConnectionString, entries, now);
        var seeded = seeding.Elapsed;

        var orders = new Dictionary<string, string>(common)
        {
            ["ConnectionStrings__Orders"] = ordersDb.ConnectionString,
            ["Orders__Authority"] = identity.Url.ToString().TrimEnd('/'),
            ["Orders__Audience"] = "orders",
        };
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"\n### Start-up catch-up ({revocations:N0} active revocations, half users, half sessions; broker max_message_size 16 MiB as RabbitMQ 4)\n");
        report.AppendLine(CultureInfo.InvariantCulture, $"Identity's tables seeded by COPY in {seeded.TotalSeconds:F1} s. Targets: Healthy ≤ 10 s, peak RSS ≤ 300 MB, every revoked token refused on the first request.\n");
        report.AppendLine("| Orders' own table | time to Healthy | peak RSS | revoked tokens refused on first request | live token accepted |\n|---|---:|---:|---|---|");
        foreach (var tableRows in new[] { 0, revocations })
        {
            if (tableRows > 0)
                await CatchUpSeed.OrdersAsync(ordersDb.ConnectionString, entries, TimeSpan.FromMinutes(10.5));
            await using var instance = ServiceProcess.Start("Orders", ServiceProcess.NewUrl(), orders);
            var started = Stopwatch.StartNew();
            var state = await WaitAsync(instance, "Healthy", ReadyBound);
            var ready = started.Elapsed;
            var refused = 0;
            foreach (var token in revoked)
                refused += await client.GetOrdersStatusAsync(token, "/orders", instance.Url) == HttpStatusCode.Unauthorized ? 1 : 0;
            var accepted = await client.GetOrdersStatusAsync(control, "/orders", instance.Url) == HttpStatusCode.OK;
            var peak = instance.PeakResidentBytes() / (1024.0 * 1024.0);
            var time = state == "Healthy" ? $"{ready.TotalSeconds:F1} s" : $"not Healthy within {ReadyBound.TotalSeconds:F0} s (readiness {state ?? "none"})";
            report.AppendLine(CultureInfo.InvariantCulture,
                $"| {tableRows:N0} rows | {time} | {peak:F0} MB | {refused}/{revoked.Count} | {(accepted ? "yes" : "no")} |");
        }

        await File.WriteAllTextAsync(outputFile, report.ToString());
        Directory.Delete(dataDirectory, recursive: true);
        return 0;
    }

    /// <returns>Tokens of two deactivated users and two logged-out sessions, and a token of a user left alone.</returns>
    private static async Task<(List<string> Revoked, string Control)> RevokeRealTokensAsync(PlatformClient client, string adminEmail, string adminPassword)
    {
        var (admin, _, _) = await client.LogInAsync(adminEmail, adminPassword, PlatformClient.OperatorResource);
        var revoked = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var email = $"bench-catch-up-{Guid.NewGuid():N}@example.com";
            var userId = await client.SignUpAsync(email, Password);
            var (token, _, _) = await client.LogInAsync(email, Password);
            if (i < 2)
                await client.DeactivateAsync(admin, userId);
            else
                await client.LogOutAsync(token);
            revoked.Add(token);
        }

        var controlEmail = $"bench-catch-up-{Guid.NewGuid():N}@example.com";
        await client.SignUpAsync(controlEmail, Password);
        return (revoked, (await client.LogInAsync(controlEmail, Password)).Token);
    }

    /// <returns>The readiness reached: <paramref name="wanted"/>, or the last one seen when the bound ran out.</returns>
    private static async Task<string?> WaitAsync(ServiceProcess service, string wanted, TimeSpan bound)
    {
        var started = Stopwatch.StartNew();
        string? state = null;
        while (started.Elapsed < bound)
        {
            state = await service.ReadinessAsync();
            if (state == wanted)
                return state;
            await Task.Delay(50);
        }

        return state;
    }
}
