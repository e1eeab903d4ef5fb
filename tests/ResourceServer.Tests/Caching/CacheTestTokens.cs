using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using Platform.ResourceServer;

namespace Platform.ResourceServer.Tests.Caching;

/// <summary>A caching handler with its own key, deny-list and clock, and tokens shaped like Identity's.</summary>
public sealed class CacheTestTokens : IDisposable
{
    public const string Issuer = "http://identity.test";

    private readonly RSA _rsa = RSA.Create(2048);
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public CacheTestTokens(TimeProvider time, int maxEntries = 100)
    {
        Time = time;
        Tokens = new AccessTokenBuilder(_rsa, "cache-test", Issuer, time);
        DenyList = new DenyList(time, new ResourceServerMetrics(_services.GetRequiredService<IMeterFactory>(), time), TimeSpan.FromMinutes(16));
        Cache = new VerifiedTokenCache(time, Options.Create(new TokenCacheOptions { MaxEntries = maxEntries }));
        var settings = Options.Create(new ResourceServerOptions { Authority = new Uri(Issuer), Audience = "orders" });
        Handler = new CachingTokenHandler(Cache, DenyList, settings, time) { MapInboundClaims = false };
    }

    public TimeProvider Time { get; }

    public DenyList DenyList { get; }

    public VerifiedTokenCache Cache { get; }

    public CachingTokenHandler Handler { get; }

    public AccessTokenBuilder Tokens { get; }

    public string Mint(Guid? userId = null, TimeSpan? lifetime = null) => Tokens.Mint(userId, lifetime: lifetime);

    /// <summary>Parameters as JwtBearer builds them per request; the handler's own lifetime check uses this clock.</summary>
    public TokenValidationParameters Parameters(string issuer = Issuer, string audience = "orders") => new()
    {
        ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
        ValidTypes = ["at+jwt"],
        ValidIssuers = [issuer],
        ValidAudience = audience,
        IssuerSigningKeys = [new RsaSecurityKey(_rsa.ExportParameters(false)) { KeyId = Tokens.Kid }],
        ClockSkew = TimeSpan.Zero,
        LifetimeValidator = (notBefore, expires, _, _) =>
            notBefore <= Time.GetUtcNow().UtcDateTime && Time.GetUtcNow().UtcDateTime < expires,
    };

    public async Task<bool> ValidAsync(string token, TokenValidationParameters? parameters = null) =>
        (await Handler.ValidateTokenAsync(token, parameters ?? Parameters())).IsValid;

    public void Dispose()
    {
        _services.Dispose();
        _rsa.Dispose();
    }
}
