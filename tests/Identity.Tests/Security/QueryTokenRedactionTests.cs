using Microsoft.Extensions.Logging;

namespace Platform.Identity.Tests.Security;

/// <summary>Identity at Debug level, with every log line and every finished activity captured for searching.</summary>
public sealed class LogCapturingIdentityApp : IdentityApp
{
    public LogCapture Capture { get; } = new();

    protected override void Configure(IWebHostBuilder builder)
    {
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

/// <summary>
/// Credentials a client puts in Identity's query string (an access token, a refresh token, a reset code, a password)
/// never reach its logs or traces: the request log masks them, the trace keeps no query at all.
/// </summary>
public sealed class QueryTokenRedactionTests(LogCapturingIdentityApp app) : IClassFixture<LogCapturingIdentityApp>
{
    private readonly HttpClient _client = app.CreateClient();

    [Fact]
    public async Task Credentials_in_the_query_string_are_never_logged_or_traced()
    {
        var (_, tokens) = await _client.NewUserAsync();
        var signature = tokens.AccessToken[(tokens.AccessToken.LastIndexOf('.') + 1)..];
        var password = "query-password-" + Guid.NewGuid().ToString("N");
        var secrets = new[] { signature, tokens.RefreshToken, Uri.EscapeDataString(tokens.RefreshToken), password };

        using var me = await _client.GetAsync($"/users/me?access_token={tokens.AccessToken}");
        using var discovery = await _client.GetAsync(
            $"/.well-known/openid-configuration?Refresh_Token={Uri.EscapeDataString(tokens.RefreshToken)}&password={password}&code={signature}");
        using var login = await _client.PostAsJsonAsync($"/auth/login?token={tokens.AccessToken}", new { email = "x@example.test", password = "wrong" });

        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
        Assert.Equal(HttpStatusCode.OK, discovery.StatusCode);
        await Eventually.HoldsAsync(() => app.Capture.CountContaining("GET /users/me?access_token=REDACTED answered 401") > 0
                && app.Capture.CountContaining("/.well-known/openid-configuration?Refresh_Token=REDACTED&password=REDACTED&code=REDACTED") > 0
                && app.Capture.CountContaining("POST /auth/login?token=REDACTED answered") > 0,
            "the request log lines with masked queries");
        Assert.Contains(app.Capture.Lines, line => line.StartsWith("Debug ", StringComparison.Ordinal));
        for (var i = 0; i < secrets.Length; i++)
            Assert.True(app.Capture.CountContaining(secrets[i]) == 0, $"secret #{i} found in the captured logs or traces");
    }
}
