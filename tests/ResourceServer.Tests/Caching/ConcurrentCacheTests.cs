using Platform.TokenRules;

namespace Platform.ResourceServer.Tests.Caching;

/// <summary>Lookups run without a lock while other threads admit and evict; none may answer for the wrong token.</summary>
public sealed class ConcurrentCacheTests : IDisposable
{
    private const int Cap = 8;
    private readonly CacheTestTokens _tokens = new(new FakeTimeProvider(DateTimeOffset.UtcNow), maxEntries: Cap);

    [Fact]
    public async Task Threads_admitting_and_evicting_together_keep_every_answer_to_its_own_token_and_the_count_at_the_cap()
    {
        // Five times the cap, so entries are evicted while other threads read them.
        var pool = Enumerable.Range(0, Cap * 5).Select(_ => Guid.NewGuid()).Select(user => (User: user.ToString(), Token: _tokens.Mint(user))).ToArray();
        var wrongAnswers = 0;
        var overCap = 0;

        await Parallel.ForAsync(0, 4, async (worker, _) =>
        {
            var random = new Random(worker);
            for (var i = 0; i < 200; i++)
            {
                var (user, token) = pool[random.Next(pool.Length)];
                // Twice in a row, so tokens are admitted often while the other threads run.
                for (var presentation = 0; presentation < 2; presentation++)
                {
                    var result = await _tokens.Handler.ValidateTokenAsync(token, _tokens.Parameters());
                    if (!result.IsValid || result.ClaimsIdentity.FindFirst(PlatformClaims.Subject)?.Value != user)
                        Interlocked.Increment(ref wrongAnswers);
                    if (_tokens.Cache.Count > Cap)
                        Interlocked.Increment(ref overCap);
                }
            }
        });

        Assert.Equal(0, wrongAnswers);
        Assert.Equal(0, overCap);
        Assert.Equal(Cap, _tokens.Cache.Count);
    }

    public void Dispose() => _tokens.Dispose();
}
