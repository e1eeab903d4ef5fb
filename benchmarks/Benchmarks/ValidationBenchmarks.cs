using BenchmarkDotNet.Attributes;

namespace Platform.Benchmarks;

/// <summary>
/// Token validation against its physical floor: one RSA-2048 PKCS#1 SHA-256 verification of the signing input.
/// Cold validation must stay close to it; a repeat token must be far below it.
/// </summary>
[Config(typeof(ShortRunConfig))]
public class ValidationBenchmarks
{
    // Cycled in order, sixty-four times the cold cache's capacity: FIFO eviction makes every call a miss, and each of
    // the 1 024 slots of the cache's record of once-verified tokens (four per entry) is overwritten about sixteen times
    // between two uses of a token, so every call is a token not seen before (minting the pool takes a few seconds).
    private const int ColdPool = 16_384;
    private const int ColdCacheEntries = 256;

    private IdentityShapedTokens _tokens = null!;
    private ResourceServerUnderTest _cold = null!;
    private ResourceServerUnderTest _warm = null!;
    private ResourceServerUnderTest _uncached = null!;
    private ResourceServerUnderTest _admitting = null!;
    private string[] _pool = null!;
    private string _repeated = null!;
    private byte[] _signingInput = null!;
    private byte[] _signature = null!;
    private RSA _publicKey = null!;
    private int _next;

    [GlobalSetup]
    public async Task Setup()
    {
        _tokens = new IdentityShapedTokens();
        _pool = _tokens.MintMany(ColdPool);
        _repeated = _tokens.Mint();
        var lastDot = _repeated.LastIndexOf('.');
        _signingInput = Encoding.ASCII.GetBytes(_repeated[..lastDot]);
        _signature = Base64UrlEncoder.DecodeBytes(_repeated[(lastDot + 1)..]);
        _publicKey = RSA.Create(_tokens.Rsa.ExportParameters(false));
        _cold = new ResourceServerUnderTest(_tokens, ColdCacheEntries);
        _warm = new ResourceServerUnderTest(_tokens, 10_000);
        _uncached = new ResourceServerUnderTest(_tokens, 1, cacheEnabled: false);
        _admitting = new ResourceServerUnderTest(_tokens, ColdCacheEntries);
        // The second validation admits the repeated token to the warm cache.
        var valid = await _warm.ValidateAsync(_repeated) && await _warm.ValidateAsync(_repeated) && _warm.CachedTokens == 1
            && await _cold.ValidateAsync(_repeated) && await _uncached.ValidateAsync(_repeated)
            && await _admitting.ValidateAsync(_repeated) && await _admitting.ValidateAsync(_repeated) && _admitting.CachedTokens == 1;
        if (!valid)
            throw new InvalidOperationException("The benchmark's token does not validate; the figures would be meaningless.");
    }

    [Benchmark(Baseline = true, Description = "raw RSA.VerifyData (floor)")]
    public bool RawVerify() =>
        _publicKey.VerifyData(_signingInput, _signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    [Benchmark(Description = "cold: new token, caching handler (miss)")]
    public Task<bool> ColdValidation() => _cold.ValidateAsync(_pool[_next++ % ColdPool]);

    [Benchmark(Description = "cold: new token, cache disabled")]
    public Task<bool> UncachedValidation() => _uncached.ValidateAsync(_pool[_next++ % ColdPool]);

    /// <summary>What a token that is used again costs before its first cache hit, per validation.</summary>
    [Benchmark(OperationsPerInvoke = 2, Description = "new token's first two validations (miss, then admitted), per validation")]
    public async Task<bool> FirstTwoValidations()
    {
        var token = _pool[_next++ % ColdPool];
        return await _admitting.ValidateAsync(token) & await _admitting.ValidateAsync(token);
    }

    [Benchmark(Description = "repeat token (cache hit) + deny-list")]
    public Task<bool> RepeatValidation() => _warm.ValidateAsync(_repeated);

    [GlobalCleanup]
    public void Cleanup()
    {
        _publicKey.Dispose();
        _tokens.Dispose();
    }
}
