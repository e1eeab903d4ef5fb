using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Platform.ResourceServer.Tokens;

namespace Platform.Benchmarks;

/// <summary>
/// Retained bytes per verified-token cache entry, filled through the library's handler as JwtBearer drives it, and
/// bytes allocated per validation of a repeat token, against stock JsonWebTokenHandler on the same parameters.
/// </summary>
public static class VerifiedTokenCacheFootprint
{
    /// <summary>The target per entry: 10 000 entries in 3 MB.</summary>
    public const double TargetBytesPerEntry = 300;

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

    /// <returns>Bytes allocated per validation of one repeat token: the library (a cache hit) and stock.</returns>
    public static async Task<(double Library, double Stock)> AllocatedPerRepeatValidationAsync(int validations)
    {
        using var tokens = new IdentityShapedTokens();
        var token = tokens.Mint();
        var library = new ResourceServerUnderTest(tokens, 16);
        var stock = new JsonWebTokenHandler { MapInboundClaims = false };
        var discovery = new OpenIdConnectConfiguration { Issuer = IdentityShapedTokens.Issuer };
        discovery.SigningKeys.Add(tokens.VerificationKey);
        var manager = new StaticConfigurationManager<OpenIdConnectConfiguration>(discovery);

        async Task<bool> Stock()
        {
            var parameters = library.ConfiguredParameters.Clone();
            parameters.ConfigurationManager = manager;
            var result = await stock.ValidateTokenAsync(token, parameters);
            // JwtBearer builds the principal from the identity on every request.
            return result.IsValid && result.ClaimsIdentity is not null;
        }

        for (var i = 0; i < 100; i++)
        {
            if (!await library.ValidateAsync(token) || !await Stock())
                throw new InvalidOperationException("The token does not validate; the figures would be meaningless.");
        }

        return (await PerCallAsync(() => library.ValidateAsync(token), validations), await PerCallAsync(Stock, validations));
    }

    private static async Task<double> PerCallAsync(Func<Task<bool>> call, int count)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < count; i++)
            await call();
        // Every call completes synchronously here, so all of it ran on this thread.
        return (GC.GetAllocatedBytesForCurrentThread() - before) / (double)count;
    }
}
