using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Platform.ResourceServer.Tests.Caching;

/// <summary>A hit stands only under the discovery document JwtBearer currently holds: its issuer and its keys.</summary>
public sealed class ConfigurationTrustTests : IDisposable
{
    private readonly CacheTestTokens _tokens = new(new FakeTimeProvider(DateTimeOffset.UtcNow));

    [Fact]
    public async Task Hit_needs_the_configurations_issuer_and_a_key_it_still_lists()
    {
        var token = _tokens.Mint();
        var current = Discovery(CacheTestTokens.Issuer, withKey: true);
        for (var i = 0; i < 3; i++)
            Assert.True(await ValidAsync(token, current));
        Assert.Equal(1, _tokens.Cache.Hits);

        // The key dropped from the JWKS: neither a hit nor, without the key, a full validation.
        Assert.False(await ValidAsync(token, Discovery(CacheTestTokens.Issuer, withKey: false)));
        // Another issuer, the key still listed: no hit either.
        Assert.False(await ValidAsync(token, Discovery(CacheTestTokens.Issuer + "/", withKey: true)));
        Assert.Equal(1, _tokens.Cache.Hits);
    }

    [Fact]
    public async Task Hit_refuses_a_key_the_deny_list_revoked_while_the_configuration_still_lists_it()
    {
        var token = _tokens.Mint();
        var current = Discovery(CacheTestTokens.Issuer, withKey: true);
        for (var i = 0; i < 3; i++)
            Assert.True(await ValidAsync(token, current));
        Assert.Equal(1, _tokens.Cache.Hits);

        _tokens.DenyList.RevokeKey(_tokens.Tokens.Kid, DateTimeOffset.UtcNow);
        // Valid to the handler's full check (TokenEvents refuses it), but no longer a hit.
        await ValidAsync(token, current);

        Assert.Equal(1, _tokens.Cache.Hits);
    }

    private OpenIdConnectConfiguration Discovery(string issuer, bool withKey)
    {
        var configuration = new OpenIdConnectConfiguration { Issuer = issuer };
        if (withKey)
        {
            foreach (var key in _tokens.Parameters().IssuerSigningKeys)
                configuration.SigningKeys.Add(key);
        }

        return configuration;
    }

    /// <summary>As JwtBearer 10 calls the handler: no issuer nor keys in the parameters, a ConfigurationManager instead.</summary>
    private async Task<bool> ValidAsync(string token, OpenIdConnectConfiguration discovery)
    {
        var parameters = _tokens.Parameters();
        parameters.ValidIssuers = null;
        parameters.IssuerSigningKeys = null;
        parameters.ConfigurationManager = new StaticConfigurationManager<OpenIdConnectConfiguration>(discovery);
        return (await _tokens.Handler.ValidateTokenAsync(token, parameters)).IsValid;
    }

    public void Dispose() => _tokens.Dispose();
}
