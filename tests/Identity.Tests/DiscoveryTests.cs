using System.Net.Http.Headers;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Platform.Identity.Tests;

public sealed class DiscoveryTests(IdentityApp app) : IClassFixture<IdentityApp>
{
    [Fact]
    public async Task A_stock_JwtBearer_configured_with_only_the_authority_accepts_identity_tokens()
    {
        var (_, tokens) = await app.CreateClient().NewUserAsync();
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddAuthentication().AddJwtBearer(bearer =>
        {
            bearer.Authority = IdentityApp.Issuer;
            bearer.Audience = "orders";
            bearer.RequireHttpsMetadata = false;
            bearer.BackchannelHttpHandler = app.Server.CreateHandler(); // discovery and JWKS over HTTP, from Identity
        });
        builder.Services.AddAuthorization();
        await using var api = builder.Build();
        api.MapGet("/probe", () => Results.Ok()).RequireAuthorization();
        await api.StartAsync();
        var client = api.GetTestClient();

        using var request = new HttpRequestMessage(HttpMethod.Get, "/probe");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);
        var accepted = await client.SendAsync(request);
        var anonymous = await client.GetAsync("/probe");

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }
}
