using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Hosting;
using Platform.ResourceServer.Diagnostics;

namespace Platform.ResourceServer.Tokens;

/// <summary>
/// The whole locked-down JwtBearer set-up, in one place and nothing after it: the platform's validation parameters,
/// the events (structure checks, claim rules and deny-list, counted by reason) and the caching handler. Keys and issuer
/// come only from Identity's discovery document (JwtBearer copies both from it on every request), so header parameters
/// such as <c>jku</c>, <c>x5u</c>, <c>jwk</c> and <c>x5c</c> can never introduce a key.
/// </summary>
internal sealed class ConfigureJwtBearer(
    IOptions<ResourceServerOptions> resourceServer, IHostEnvironment environment, VerifiedTokenCache cache, DenyList denyList,
    TimeProvider time, ResourceServerMetrics metrics)
    : IConfigureNamedOptions<JwtBearerOptions>
{
    public void Configure(string? name, JwtBearerOptions options)
    {
        if (name != JwtBearerDefaults.AuthenticationScheme)
            return;

        var settings = resourceServer.Value;
        options.Authority = settings.Authority?.ToString().TrimEnd('/');
        options.Audience = settings.Audience;
        options.RequireHttpsMetadata = settings.RequireHttpsMetadata ?? !environment.IsDevelopment();
        options.MapInboundClaims = false;
        options.IncludeErrorDetails = false;
        options.SaveToken = false;
        // The ConfigurationManager refreshes on this period, and on an unknown kid at most once per RefreshInterval
        // with a single request in flight; between refreshes, or while Identity is down, it keeps the last good keys.
        options.AutomaticRefreshInterval = settings.AutomaticRefreshInterval;
        options.RefreshInterval = settings.RefreshInterval;
        options.BackchannelTimeout = TimeSpan.FromSeconds(10);
        // Issuer and keys come from the discovery document; everything else is the platform's one rule set.
        options.TokenValidationParameters = AccessTokenRules.Parameters(issuer: null, [settings.Audience], settings.ClockSkew);
        options.Events = new TokenEvents(metrics, cache, denyList, resourceServer, time);
        // The only handler: JwtBearer tries each one in turn, so keeping the default beside it would validate twice.
        options.TokenHandlers.Clear();
        options.TokenHandlers.Add(new CachingTokenHandler(cache, denyList, resourceServer, time) { MapInboundClaims = false });
    }

    public void Configure(JwtBearerOptions options) => Configure(Options.DefaultName, options);
}
