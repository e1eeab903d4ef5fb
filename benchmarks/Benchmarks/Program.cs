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
            var cacheBytes = await VerifiedTokenCacheFootprint.BytesPerEntryAsync(10_000);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"token-cache bytes/entry at 10000: {cacheBytes:F0} (target ≤ {VerifiedTokenCacheFootprint.TargetBytesPerEntry:F0})"));
            var (library, stock) = await VerifiedTokenCacheFootprint.AllocatedPerRepeatValidationAsync(100_000);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"bytes allocated per repeat-token validation: library {library:F0}, stock JsonWebTokenHandler {stock:F0}"));
            return cacheBytes <= VerifiedTokenCacheFootprint.TargetBytesPerEntry ? 0 : 1;
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

        if (args is ["--revocation", var revocationTrials, var loadConnections, var revocationOutput])
        {
            return await WholeSystem.RevocationRun.RunAsync(
                int.Parse(revocationTrials, CultureInfo.InvariantCulture), int.Parse(loadConnections, CultureInfo.InvariantCulture), revocationOutput);
        }

        if (args is ["--catch-up", var revocations, var catchUpOutput])
            return await WholeSystem.CatchUpRun.RunAsync(int.Parse(revocations, CultureInfo.InvariantCulture), catchUpOutput);

        if (args is ["--bulk-deactivation", var bulkUsers, var bulkInstances, var bulkOutput])
        {
            return await WholeSystem.BulkDeactivationRun.RunAsync(
                int.Parse(bulkUsers, CultureInfo.InvariantCulture), int.Parse(bulkInstances, CultureInfo.InvariantCulture), bulkOutput);
        }

        if (args is ["--peer", var peerSeconds, var peerOutput])
            return await Peer.PeerRun.RunAsync(int.Parse(peerSeconds, CultureInfo.InvariantCulture), peerOutput);

        if (args is ["--peer-app", var peerApp])
            return await Peer.PeerApp.RunAsync(peerApp);

        if (args is ["--login-storm", var stormSeconds, var stormOutput])
            return await WholeSystem.LoginStormRun.RunAsync(int.Parse(stormSeconds, CultureInfo.InvariantCulture), stormOutput);

        if (args is ["--orders-floor", var floorSeconds, var floorOutput])
            return await WholeSystem.OrdersFloorRun.RunAsync(int.Parse(floorSeconds, CultureInfo.InvariantCulture), floorOutput);

        BenchmarkSwitcher.FromAssembly(typeof(BenchmarkEntry).Assembly).Run(args);
        return 0;
    }
}
