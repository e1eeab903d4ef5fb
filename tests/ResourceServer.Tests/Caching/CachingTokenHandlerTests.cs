namespace Platform.ResourceServer.Tests.Caching;

public sealed class CachingTokenHandlerTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly CacheTestTokens _tokens;

    public CachingTokenHandlerTests() => _tokens = new CacheTestTokens(_time);

    [Fact]
    public async Task Valid_token_is_cached_on_its_second_validation_and_then_served_from_the_cache()
    {
        var token = _tokens.Mint();
        Assert.True(await _tokens.ValidAsync(token));
        Assert.False(_tokens.Cache.TryGet(token, out _));

        Assert.True(await _tokens.ValidAsync(token));
        Assert.True(_tokens.Cache.TryGet(token, out var cached));
        var repeat = await _tokens.Handler.ValidateTokenAsync(token, _tokens.Parameters());
        Assert.True(repeat.IsValid);
        Assert.Same(cached, repeat.SecurityToken);
    }

    [Fact]
    public async Task Tokens_seen_once_leave_nothing_in_the_cache()
    {
        foreach (var token in Enumerable.Range(0, 20).Select(_ => _tokens.Mint()))
            Assert.True(await _tokens.ValidAsync(token));

        Assert.Equal(0, _tokens.Cache.Count);
    }

    [Theory]
    [InlineData(1)] // last signature character
    [InlineData(2)]
    public async Task Tampered_signature_sharing_all_but_the_end_with_a_cached_token_is_rejected(int fromEnd)
    {
        var token = await CachedTokenAsync();
        var at = token.Length - fromEnd;
        var tampered = token[..at] + (token[at] == 'A' ? 'B' : 'A') + token[(at + 1)..];

        Assert.False(await _tokens.ValidAsync(tampered));
        Assert.Equal(1, _tokens.Cache.Count);
    }

    [Fact]
    public async Task Token_carrying_a_cached_tokens_signature_under_another_payload_is_rejected()
    {
        var token = await CachedTokenAsync();
        var other = _tokens.Mint();
        var parts = token.Split('.');
        var forged = string.Join('.', parts[0], other.Split('.')[1], parts[2]);

        Assert.False(await _tokens.ValidAsync(forged));
        Assert.False(await _tokens.ValidAsync(forged));
        Assert.Equal(1, _tokens.Cache.Count);
    }

    [Fact]
    public async Task Token_extended_beyond_a_cached_one_is_rejected()
    {
        var token = await CachedTokenAsync();

        Assert.False(await _tokens.ValidAsync(token + "A"));
        Assert.False(await _tokens.ValidAsync(token[..^1]));
    }

    [Fact]
    public async Task Failed_tokens_are_not_cached()
    {
        var expired = _tokens.Mint(lifetime: TimeSpan.FromSeconds(1));
        _time.Advance(TimeSpan.FromSeconds(2));
        var badSignature = _tokens.Mint()[..^4] + "AAAA";
        var user = Guid.NewGuid();
        var revoked = _tokens.Mint(user);
        _tokens.DenyList.DeactivateUser(user, _time.GetUtcNow());
        var otherAudience = _tokens.Mint();

        // Twice each: a token is cached on its second successful validation.
        for (var attempt = 0; attempt < 2; attempt++)
        {
            Assert.False(await _tokens.ValidAsync(expired));
            Assert.False(await _tokens.ValidAsync(badSignature));
            Assert.False(await _tokens.ValidAsync(otherAudience, _tokens.Parameters(audience: "billing")));
            // Valid by signature and claims, refused later by the deny-list: still never cached.
            Assert.True(await _tokens.ValidAsync(revoked));
        }

        Assert.Equal(0, _tokens.Cache.Count);
    }

    [Fact]
    public async Task Cache_hit_requires_the_issuer_audience_and_key_of_the_current_configuration()
    {
        var token = await CachedTokenAsync();

        Assert.False(await _tokens.ValidAsync(token, _tokens.Parameters(issuer: "http://other.test")));
        Assert.False(await _tokens.ValidAsync(token, _tokens.Parameters(audience: "billing")));
        var rotatedAway = _tokens.Parameters();
        rotatedAway.IssuerSigningKeys = [new SymmetricSecurityKey(new byte[32]) { KeyId = "another" }];
        Assert.False(await _tokens.ValidAsync(token, rotatedAway));
        Assert.True(await _tokens.ValidAsync(token));
    }

    private async Task<string> CachedTokenAsync()
    {
        var token = _tokens.Mint();
        Assert.True(await _tokens.ValidAsync(token));
        Assert.True(await _tokens.ValidAsync(token));
        Assert.True(_tokens.Cache.TryGet(token, out _));
        return token;
    }

    public void Dispose() => _tokens.Dispose();
}
