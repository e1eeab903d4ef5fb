using BenchmarkDotNet.Running;

namespace Platform.Benchmarks;

// An explicit entry point: Identity's top-level Program would otherwise clash with this one.
public static class BenchmarkEntry
{
    public static async Task<int> Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args is ["--memory", ..])
        {
            // Outside BenchmarkDotNet: retained memory needs one process that fills, collects and measures.
            foreach (var entries in new[] { 10_000, 1_000_000 })
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"deny-list bytes/entry at {entries}: {DenyListFill.BytesPerEntry(entries):F1}"));
            var cacheBytes = await VerifiedTokenCacheFootprint.BytesPerEntryAsync(5_000);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"token-cache bytes/entry at 5000: {cacheBytes:F0}"));
            return 0;
        }

        if (args is ["--system", var users, var seconds, var output])
        {
            return await WholeSystem.SystemRun.RunAsync(
                int.Parse(users, CultureInfo.InvariantCulture), int.Parse(seconds, CultureInfo.InvariantCulture), output);
        }

        if (args is ["--scale", var identities, var orders, var burst, var scaleSeconds, var scaleOutput])
        {
            return await WholeSystem.ScaleRun.RunAsync(int.Parse(identities, CultureInfo.InvariantCulture), int.Parse(orders, CultureInfo.InvariantCulture),
                int.Parse(burst, CultureInfo.InvariantCulture), int.Parse(scaleSeconds, CultureInfo.InvariantCulture), scaleOutput);
        }

        if (args is ["--key-revocation", var trials, var keyOutput])
            return await WholeSystem.KeyRevocationRun.RunAsync(int.Parse(trials, CultureInfo.InvariantCulture), keyOutput);

        if (args is ["--catch-up", var revocations, var catchUpOutput])
            return await WholeSystem.CatchUpRun.RunAsync(int.Parse(revocations, CultureInfo.InvariantCulture), catchUpOutput);

        if (args is ["--bulk-deactivation", var bulkUsers, var bulkInstances, var bulkOutput])
        {
            return await WholeSystem.BulkDeactivationRun.RunAsync(
                int.Parse(bulkUsers, CultureInfo.InvariantCulture), int.Parse(bulkInstances, CultureInfo.InvariantCulture), bulkOutput);
        }

        if (args is ["--orders-floor", var floorSeconds, var floorOutput])
            return await WholeSystem.OrdersFloorRun.RunAsync(int.Parse(floorSeconds, CultureInfo.InvariantCulture), floorOutput);

        BenchmarkSwitcher.FromAssembly(typeof(BenchmarkEntry).Assembly).Run(args);
        return 0;
    }
}
