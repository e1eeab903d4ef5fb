using System.Net.Http.Headers;
using Duende.IdentityModel.Client;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Platform.Identity.Tests.OAuth;

/// <summary>
/// A widely used OAuth client library (Duende.IdentityModel) and a stock JwtBearer, configured only as their documentation
/// says, work against Identity over HTTP; and no client secret reaches Identity's logs or traces meanwhile.
/// </summary>
public sealed class StandardClientInteropTests(OAuthApp app) : IClassFixture<OAuthApp>
{
    private readonly HttpClient _http = app.CreateClient();

    [Fact]
    public async Task Discovery_passes_the_stock_policy_and_names_the_oauth_endpoints()
    {
        var disco = await DiscoverAsync();

        Assert.Equal("http://localhost/connect/token", disco.TokenEndpoint);
        Assert.Equal("http://localhost/connect/revocation", disco.RevocationEndpoint);
        Assert.Equal("http://localhost/connect/introspect", disco.IntrospectionEndpoint);
        Assert.Equal(["refresh_token", "client_credentials"], disco.GrantTypesSupported);
        Assert.Equal(["client_secret_basic", "client_secret_post"], disco.TokenEndpointAuthenticationMethodsSupported);
        Assert.NotEmpty(disco.KeySet!.Keys);
    }

    [Theory]
    [InlineData(ClientCredentialStyle.AuthorizationHeader)]
    [InlineData(ClientCredentialStyle.PostBody)]
    public async Task Client_credentials_then_introspection_then_revocation_work_as_the_library_sends_them(ClientCredentialStyle style)
    {
        var disco = await DiscoverAsync();
        var client = await _http.RegisterClientAsync(audiences: ["orders", "identity"]);

        var token = await _http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            Address = disco.TokenEndpoint, ClientId = client.Id, ClientSecret = client.ClientSecret, ClientCredentialStyle = style,
            Scope = "orders:read", Resource = ["orders"],
        });
        Assert.False(token.IsError, token.Error);
        var introspection = await _http.IntrospectTokenAsync(new TokenIntrospectionRequest
        {
            Address = disco.IntrospectionEndpoint, ClientId = client.Id, ClientSecret = client.ClientSecret, ClientCredentialStyle = style, Token = token.AccessToken!,
        });
        var revocation = await _http.RevokeTokenAsync(new TokenRevocationRequest
        {
            Address = disco.RevocationEndpoint, ClientId = client.Id, ClientSecret = client.ClientSecret, ClientCredentialStyle = style, Token = token.AccessToken!,
        });

        Assert.Equal("orders:read", token.Scope);
        Assert.Equal(600, token.ExpiresIn);
        Assert.False(introspection.IsError, introspection.Error);
        Assert.True(introspection.IsActive);
        Assert.Equal(client.Id, introspection.Claims.Single(c => c.Type == "client_id").Value);
        // A client's own token names no session; RFC 7009 §2.2.1's answer for a type the server does not revoke.
        Assert.True(revocation.IsError);
        Assert.Equal("unsupported_token_type", revocation.Error);
        Assert.DoesNotContain(app.Capture.Lines, line => line.Contains(client.ClientSecret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Refresh_introspect_and_revoke_a_users_tokens_with_the_library()
    {
        var disco = await DiscoverAsync();
        var caller = await _http.RegisterClientAsync();
        var (_, tokens) = await _http.NewUserAsync();

        var refreshed = await _http.RequestRefreshTokenAsync(new RefreshTokenRequest
        {
            Address = disco.TokenEndpoint, ClientId = "public-app", ClientCredentialStyle = ClientCredentialStyle.PostBody, RefreshToken = tokens.RefreshToken,
        });
        Assert.False(refreshed.IsError, refreshed.Error);
        var revocation = await _http.RevokeTokenAsync(new TokenRevocationRequest
        {
            Address = disco.RevocationEndpoint, ClientId = "public-app", ClientCredentialStyle = ClientCredentialStyle.PostBody,
            Token = refreshed.RefreshToken!, TokenTypeHint = "refresh_token",
        });
        var introspection = await _http.IntrospectTokenAsync(new TokenIntrospectionRequest
        {
            Address = disco.IntrospectionEndpoint, ClientId = caller.Id, ClientSecret = caller.ClientSecret, Token = refreshed.AccessToken!,
        });
        var replay = await _http.RequestRefreshTokenAsync(new RefreshTokenRequest
        {
            Address = disco.TokenEndpoint, ClientId = "public-app", ClientCredentialStyle = ClientCredentialStyle.PostBody, RefreshToken = tokens.RefreshToken,
        });

        Assert.False(revocation.IsError, revocation.Error);
        Assert.False(introspection.IsError, introspection.Error);
        Assert.False(introspection.IsActive);
        Assert.Equal("invalid_grant", replay.Error);
    }

    [Fact]
    public async Task A_stock_JwtBearer_with_only_the_authority_accepts_client_and_refreshed_tokens()
    {
        var client = await _http.RegisterClientAsync();
        var clientToken = await _http.ClientTokenAsync(client);
        var (_, tokens) = await _http.NewUserAsync();
        var refreshed = await _http.RequestRefreshTokenAsync(new RefreshTokenRequest
        {
            Address = OAuthApp.LoopbackIssuer + "/connect/token", ClientId = "public-app", ClientCredentialStyle = ClientCredentialStyle.PostBody, RefreshToken = tokens.RefreshToken,
        });
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddAuthentication().AddJwtBearer(bearer =>
        {
            bearer.Authority = OAuthApp.LoopbackIssuer;
            bearer.Audience = "orders";
            bearer.RequireHttpsMetadata = false; // the test host's loopback issuer is plain HTTP
            bearer.BackchannelHttpHandler = app.Server.CreateHandler();
        });
        builder.Services.AddAuthorization();
        await using var api = builder.Build();
        api.MapGet("/probe", () => Results.Ok()).RequireAuthorization();
        await api.StartAsync();
        var probe = api.GetTestClient();

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(probe, clientToken));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(probe, refreshed.AccessToken!));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(probe, clientToken[..^4] + "AAAA"));
    }

    private async Task<DiscoveryDocumentResponse> DiscoverAsync()
    {
        // The library's default policy: issuer equal to the authority, every endpoint under it, HTTPS but for loopback.
        var disco = await _http.GetDiscoveryDocumentAsync(new DiscoveryDocumentRequest { Address = OAuthApp.LoopbackIssuer });
        Assert.False(disco.IsError, disco.Error);
        return disco;
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/probe");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}
