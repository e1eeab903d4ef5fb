using Platform.ResourceServer.Tokens;

namespace Platform.Benchmarks;

/// <summary>Retained bytes per verified-token cache entry (the parsed token dominates), measured like the deny-list's.</summary>
public static class VerifiedTokenCacheFootprint
{
    public static async Task<double> BytesPerEntryAsync(int entries)
    {
        using var tokens = new IdentityShapedTokens();
        var pool = tokens.MintMany(entries);
        var server = new ResourceServerUnderTest(tokens, entries);
        var before = GC.GetTotalMemory(forceFullCollection: true);
        foreach (var token in pool)
            await server.ValidateAsync(token);
        var after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(server);
        GC.KeepAlive(pool);
        return (after - before) / (double)entries;
    }
}
