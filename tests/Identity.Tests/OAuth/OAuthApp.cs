using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;

namespace Platform.Identity.Tests.OAuth;

/// <summary>
/// Identity at Debug level with every log line captured, under a loopback issuer, so a stock OAuth client's discovery
/// policy (HTTPS required except on loopback, endpoints under the authority) holds as it is.
/// </summary>
public sealed class OAuthApp : IdentityApp
{
    public const string LoopbackIssuer = "http://localhost";

    public LogCapture Capture { get; } = new();

    protected override void Configure(IWebHostBuilder builder)
    {
        builder.UseSetting("Identity:Issuer", LoopbackIssuer);
        builder.UseSetting("Logging:LogLevel:Default", "Debug");
        builder.ConfigureTestServices(services => services.AddSingleton<ILoggerProvider>(Capture));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Capture.Dispose();
        GC.SuppressFinalize(this);
    }
}

public sealed record RegisteredClient(Guid ClientId, string ClientSecret, string Name, string[] Scopes, string[] Audiences, DateTimeOffset CreatedAt)
{
    public string Id => ClientId.ToString("D");
}

/// <summary>What an operator and a service client do over HTTP, as plain requests.</summary>
public static class OAuthCalls
{
    public static async Task<RegisteredClient> RegisterClientAsync(
        this HttpClient http, string[]? scopes = null, string[]? audiences = null, string? adminToken = null)
    {
        adminToken ??= (await http.LoginAdminAsync()).AccessToken;
        var response = await http.SendAsync(HttpMethod.Post, "/admin/clients", adminToken,
            new { name = "billing sync", scopes = scopes ?? ["orders:read", "orders:write"], audiences = audiences ?? ["orders"] });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<RegisteredClient>())!;
    }

    public static Task<HttpResponseMessage> PostFormAsync(
        this HttpClient http, string path, IEnumerable<KeyValuePair<string, string>> form, AuthenticationHeaderValue? authorization = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Authorization = authorization;
        return http.SendAsync(request);
    }

    /// <summary>RFC 6749 §2.3.1: both parts form-url-encoded, then joined and base64-encoded.</summary>
    public static AuthenticationHeaderValue Basic(string id, string secret) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.EscapeDataString(id) + ":" + Uri.EscapeDataString(secret))));

    public static Task<HttpResponseMessage> ClientCredentialsAsync(this HttpClient http, RegisteredClient client, params (string Name, string Value)[] extra) =>
        http.PostFormAsync("/connect/token", [new("grant_type", "client_credentials"), .. extra.Select(e => KeyValuePair.Create(e.Name, e.Value))],
            Basic(client.Id, client.ClientSecret));

    public static async Task<string> ClientTokenAsync(this HttpClient http, RegisteredClient client, params (string Name, string Value)[] extra)
    {
        var response = await http.ClientCredentialsAsync(client, extra);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("access_token").GetString()!;
    }

    /// <summary>Asserts an RFC 6749 §5.2 error answer and returns it.</summary>
    public static async Task<JsonElement> AssertOAuthErrorAsync(this HttpResponseMessage response, HttpStatusCode status, string error)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.JsonAsync();
        Assert.Equal(error, body.GetProperty("error").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("error_description").GetString()));
        return body;
    }
}
