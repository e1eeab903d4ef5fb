using Microsoft.Extensions.Time.Testing;
using Platform.ResourceServer.Tokens;

namespace Platform.Orders.Tests.Caching;

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
        var key = TokenHash.Of(token);

        _time.Advance(TimeSpan.FromSeconds(59));
        Assert.True(_tokens.Cache.TryGet(key, out _));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(_tokens.Cache.TryGet(key, out _));
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
        Assert.False(_tokens.Cache.TryGet(TokenHash.Of(tokens[0]), out _));
        Assert.False(_tokens.Cache.TryGet(TokenHash.Of(tokens[1]), out _));
        Assert.All(tokens[2..], token => Assert.True(_tokens.Cache.TryGet(TokenHash.Of(token), out _)));
    }

    [Fact]
    public async Task Evicted_token_still_validates_through_the_full_check()
    {
        var first = _tokens.Mint();
        await CacheAsync(first);
        for (var i = 0; i < 3; i++)
            await CacheAsync(_tokens.Mint());

        Assert.False(_tokens.Cache.TryGet(TokenHash.Of(first), out _));
        Assert.True(await _tokens.ValidAsync(first));
    }

    [Fact]
    public void A_token_counts_as_verified_before_from_its_second_sighting_on()
    {
        var key = new TokenHash(7, 11, 13, 17);

        Assert.False(_tokens.Cache.VerifiedBefore(key));
        Assert.True(_tokens.Cache.VerifiedBefore(key));
        Assert.True(_tokens.Cache.VerifiedBefore(key));
    }

    [Fact]
    public void A_token_whose_record_was_taken_by_another_is_a_first_sighting_again()
    {
        // Same slot (A), different token (B): the record holds one token per slot.
        var first = new TokenHash(5, 100, 0, 0);
        var second = new TokenHash(5, 200, 0, 0);

        Assert.False(_tokens.Cache.VerifiedBefore(first));
        Assert.False(_tokens.Cache.VerifiedBefore(second));
        Assert.False(_tokens.Cache.VerifiedBefore(first));
        Assert.True(_tokens.Cache.VerifiedBefore(first));
    }

    [Fact]
    public void An_empty_record_matches_no_token()
    {
        Assert.False(_tokens.Cache.VerifiedBefore(default));
        Assert.False(_tokens.Cache.VerifiedBefore(new TokenHash(1, 1, 0, 0)));
    }

    /// <summary>Two successful validations: the second admits the token to the cache.</summary>
    private async Task CacheAsync(string token)
    {
        Assert.True(await _tokens.ValidAsync(token));
        Assert.True(await _tokens.ValidAsync(token));
    }

    public void Dispose() => _tokens.Dispose();
}
