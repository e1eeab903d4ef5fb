namespace Platform.ResourceServer.Tests.Caching;

public sealed class VerifiedTokenCacheTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly CacheTestTokens _tokens;

    public VerifiedTokenCacheTests() => _tokens = new CacheTestTokens(_time, maxEntries: 3);

    [Fact]
    public async Task Entry_is_served_until_the_tokens_exp_and_not_from_that_second_on()
    {
        var token = _tokens.Mint(lifetime: TimeSpan.FromSeconds(60));
        await CacheAsync(token);

        _time.Advance(TimeSpan.FromSeconds(59));
        Assert.True(_tokens.Cache.TryGet(token, out _));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(_tokens.Cache.TryGet(token, out _));
        Assert.False(await _tokens.ValidAsync(token));
        Assert.Equal(0, _tokens.Cache.Count);
    }

    [Fact]
    public async Task At_the_cap_the_oldest_entry_is_evicted_and_the_count_stays_at_the_cap()
    {
        var tokens = Enumerable.Range(0, 5).Select(_ => _tokens.Mint()).ToArray();
        foreach (var token in tokens)
            await CacheAsync(token);

        Assert.Equal(3, _tokens.Cache.Count);
        Assert.False(_tokens.Cache.TryGet(tokens[0], out _));
        Assert.False(_tokens.Cache.TryGet(tokens[1], out _));
        Assert.All(tokens[2..], token => Assert.True(_tokens.Cache.TryGet(token, out _)));
    }

    [Fact]
    public async Task Evicted_token_still_validates_through_the_full_check()
    {
        var first = _tokens.Mint();
        await CacheAsync(first);
        for (var i = 0; i < 3; i++)
            await CacheAsync(_tokens.Mint());

        Assert.False(_tokens.Cache.TryGet(first, out _));
        Assert.True(await _tokens.ValidAsync(first));
    }

    [Fact]
    public void A_token_counts_as_verified_before_from_its_second_sighting_on()
    {
        var token = _tokens.Mint();

        Assert.False(_tokens.Cache.VerifiedBefore(token));
        Assert.True(_tokens.Cache.VerifiedBefore(token));
        Assert.True(_tokens.Cache.VerifiedBefore(token));
    }

    [Fact]
    public void A_token_whose_record_was_taken_by_another_is_a_first_sighting_again()
    {
        // The record has sixteen slots here (four per entry of the cap of 3, rounded up to a power of two) and slots
        // follow a randomized hash, so pairs are tried until one shares a slot, each with a probability of 1 in 16.
        var displaced = 0;
        var kept = 0;
        for (var pair = 0; pair < 1000 && (displaced == 0 || kept == 0); pair++)
        {
            var first = Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N");
            var second = Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N");
            Assert.False(_tokens.Cache.VerifiedBefore(first));
            Assert.False(_tokens.Cache.VerifiedBefore(second));
            if (_tokens.Cache.VerifiedBefore(first))
            {
                kept++;
                continue;
            }

            displaced++;
            Assert.True(_tokens.Cache.VerifiedBefore(first));
        }

        Assert.True(displaced > 0, "no token was ever displaced from its slot");
        Assert.True(kept > 0, "no token was ever remembered beside another");
    }

    /// <summary>Two successful validations: the second admits the token to the cache.</summary>
    private async Task CacheAsync(string token)
    {
        Assert.True(await _tokens.ValidAsync(token));
        Assert.True(await _tokens.ValidAsync(token));
    }

    public void Dispose() => _tokens.Dispose();
}
