using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Platform.ResourceServer;
using Platform.ResourceServer.Diagnostics;
using Platform.ResourceServer.Revocation;
using Platform.ResourceServer.Tokens;
using Platform.TokenRules;

namespace Platform.Benchmarks;

/// <summary>
/// The resource-server library's own JwtBearer configuration (ConfigureJwtBearer), its deny-list and its token
/// handler, wired as Orders wires them, with a static discovery document carrying the key and issuer Identity's would.
/// </summary>
public sealed class ResourceServerUnderTest
{
    public ResourceServerUnderTest(IdentityShapedTokens tokens, int cacheEntries, bool cacheEnabled = true)
    {
        var settings = Options.Create(new ResourceServerOptions
        {
            Authority = new Uri(IdentityShapedTokens.Issuer),
            Audience = IdentityShapedTokens.Audience,
        });
        var metrics = new ResourceServerMetrics(Meters(), TimeProvider.System);
        DenyList = NewDenyList();
        _cache = new VerifiedTokenCache(TimeProvider.System,
            Options.Create(new TokenCacheOptions { MaxEntries = cacheEntries, Enabled = cacheEnabled }));
        var jwtBearer = new JwtBearerOptions();
        new ConfigureJwtBearer(settings, new HostingEnvironment { EnvironmentName = "Production" }, _cache, DenyList,
            TimeProvider.System, metrics).Configure(JwtBearerDefaults.AuthenticationScheme, jwtBearer);
        Handler = jwtBearer.TokenHandlers.Single();
        ConfiguredParameters = jwtBearer.TokenValidationParameters;
        var discovery = new OpenIdConnectConfiguration { Issuer = IdentityShapedTokens.Issuer };
        discovery.SigningKeys.Add(tokens.VerificationKey);
        _discovery = new StaticConfigurationManager<OpenIdConnectConfiguration>(discovery);
        Settings = settings.Value;
    }

    private readonly VerifiedTokenCache _cache;
    private readonly StaticConfigurationManager<OpenIdConnectConfiguration> _discovery;

    public DenyList DenyList { get; }

    public int CachedTokens => _cache.Count;

    public TokenHandler Handler { get; }

    public TokenValidationParameters ConfiguredParameters { get; }

    private ResourceServerOptions Settings { get; }

    public static DenyList NewDenyList()
    {
        return new DenyList(TimeProvider.System, new ResourceServerMetrics(Meters(), TimeProvider.System), TimeSpan.FromMinutes(16));
    }

    private static IMeterFactory Meters() =>
        new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();

    /// <summary>What one request costs: JwtBearer's per-request parameters, the handler, then the deny-list check.</summary>
    public async Task<bool> ValidateAsync(string token)
    {
        // JwtBearer 10 clones the configured parameters per request and hands over its ConfigurationManager, from
        // which the handler takes issuer and keys (the discovery document).
        var parameters = ConfiguredParameters.Clone();
        parameters.ConfigurationManager = _discovery;
        var result = await Handler.ValidateTokenAsync(token, parameters);
        // As TokenEvents judges each: a cached token by the deny-list alone, a fully validated one by every rule.
        return result.IsValid && result.SecurityToken switch
        {
            CachedAccessToken cached => cached.Refusal(DenyList) is null,
            JsonWebToken jwt => !IsRefused(jwt),
            _ => false,
        };
    }

    /// <summary>The claim reads, rules and lookup TokenEvents.TokenValidated makes on every request.</summary>
    private bool IsRefused(JsonWebToken token) =>
        AccessTokenClaims.Read(token, out var claims) is not null
        || claims.Refusal(token.Kid, Settings, TimeProvider.System.GetUtcNow().ToUnixTimeSeconds(), DenyList) is not null;
}
