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
        // Twice: a token enters the cache on its second validation.
        foreach (var token in pool)
        {
            await server.ValidateAsync(token);
            await server.ValidateAsync(token);
        }

        if (server.CachedTokens != entries)
            throw new InvalidOperationException($"{server.CachedTokens} of {entries} tokens were cached; the figure would be meaningless.");
        var after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(server);
        GC.KeepAlive(pool);
        return (after - before) / (double)entries;
    }
}
