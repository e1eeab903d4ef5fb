using System.ComponentModel.DataAnnotations;

namespace Platform.ResourceServer.Tokens;

/// <summary>The verified-token cache, bound from <c>{Section}:TokenCache</c> (e.g. <c>Orders:TokenCache:MaxEntries</c>).</summary>
public sealed class TokenCacheOptions
{
    /// <summary>Off means every request pays the RSA check; useful to rule the cache out when investigating.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The cap on cached tokens. Each entry keeps a projection of the token (about 200 bytes), so the default bounds
    /// the cache to about 2 MB while covering the tokens active in a 10-minute window of a busy instance. Only tokens validated a
    /// second time are cached; the record of tokens validated once costs 16 bytes per entry of this cap.
    /// </summary>
    [Range(1, 1_000_000)]
    public int MaxEntries { get; set; } = 10_000;
}

public static class TokenCacheRegistration
{
    public static IServiceCollection AddVerifiedTokenCache(this IServiceCollection services, string configSection)
    {
        services.AddOptions<TokenCacheOptions>().BindConfiguration(configSection + ":TokenCache")
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<VerifiedTokenCache>();
        return services;
    }
}
