using System.Diagnostics.Metrics;
using Platform.Identity.Diagnostics;

namespace Platform.Identity.Tests.Observability;

/// <summary>Identity's metrics, read with a MeterListener while requests go through the real pipeline.</summary>
public sealed class IdentityMetricsTests(IdentityApp app) : IClassFixture<IdentityApp>
{
    private readonly HttpClient _client = app.CreateClient();

    [Fact]
    public async Task Tokens_issued_increments_on_login_and_on_refresh()
    {
        using var metrics = Recorder();
        var (_, tokens) = await _client.NewUserAsync();
        var refreshed = await _client.PostAsJsonAsync("/auth/refresh", new { refreshToken = tokens.RefreshToken });
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);

        Assert.Single(metrics.Values("platform.identity.tokens.issued", ("grant", "login")));
        Assert.Single(metrics.Values("platform.identity.tokens.issued", ("grant", "refresh")));
    }

    [Fact]
    public async Task Logins_failed_are_counted_with_their_reason_while_the_client_sees_one_answer()
    {
        using var metrics = Recorder();
        var (user, _) = await _client.NewUserAsync();

        await AssertRefusedAsync(IdentityClient.NewEmail(), IdentityClient.Password);
        await AssertRefusedAsync(user.Email, "not the password at all 1");

        Assert.Single(metrics.Values("platform.identity.logins.failed", ("reason", LoginFailureReasons.UnknownUser)));
        Assert.Single(metrics.Values("platform.identity.logins.failed", ("reason", LoginFailureReasons.WrongPassword)));
    }

    [Fact]
    public async Task Refresh_token_reuse_is_counted()
    {
        using var metrics = Recorder();
        var (_, tokens) = await _client.NewUserAsync();
        Assert.Equal(HttpStatusCode.OK, (await _client.PostAsJsonAsync("/auth/refresh", new { refreshToken = tokens.RefreshToken })).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await _client.PostAsJsonAsync("/auth/refresh", new { refreshToken = tokens.RefreshToken })).StatusCode);

        Assert.Single(metrics.Values("platform.identity.refresh_token.reuse_detected"));
    }

    [Fact]
    public async Task Events_published_and_the_outbox_backlog_are_measured()
    {
        using var metrics = Recorder();
        var admin = (await _client.LoginAdminAsync()).AccessToken;
        var user = await _client.SignUpAsync(IdentityClient.NewEmail());

        Assert.Equal(HttpStatusCode.NoContent, (await _client.SendAsync(HttpMethod.Post, $"/admin/users/{user.Id}/deactivate", admin)).StatusCode);
        await app.Events.WaitForAsync<Contracts.UserDeactivated>(e => e.UserId == user.Id);

        await Eventually.HoldsAsync(() => metrics.Values("platform.identity.outbox.events_published", ("type", "UserDeactivated")).Count >= 1,
            "the published UserDeactivated to be counted");
        metrics.Observe();
        Assert.NotEmpty(metrics.Values("platform.identity.outbox.pending"));
        Assert.NotEmpty(metrics.Values("platform.identity.outbox.oldest_pending_age"));
    }

    private MetricRecorder Recorder() => new(app.Services.GetRequiredService<IMeterFactory>(), IdentityMetrics.MeterName);

    private async Task AssertRefusedAsync(string email, string password)
    {
        var response = await _client.PostAsJsonAsync("/auth/login", new { email, password });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
