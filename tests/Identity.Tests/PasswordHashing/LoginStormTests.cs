using System.Diagnostics.Metrics;
using Platform.Identity.Diagnostics;
using Platform.Identity.PasswordHashing;

namespace Platform.Identity.Tests.PasswordHashing;

/// <summary>
/// Logins beyond the hashing gate wait their turn or get 503 with <c>Retry-After</c>, never a 500; and while logins
/// queue for a turn, the calls that hash nothing (refresh, JWKS, the operator API) are answered at once rather than
/// behind them. One class, so its storms do not run side by side.
/// </summary>
public sealed class LoginStormTests(PasswordHashingApp app) : IClassFixture<PasswordHashingApp>
{
    /// <summary>Several times what one turn at a time can hash while the others arrive.</summary>
    private const int Burst = 8;

    [Theory]
    [InlineData("2", "00:01:00", PasswordHashingRejections.QueueFull)]
    [InlineData("64", "00:00:00.050", PasswordHashingRejections.TimedOut)]
    public async Task A_burst_of_logins_beyond_the_gate_gets_503_problems_with_retry_after_and_the_rest_log_in(string queueLimit, string maxWait, string reason)
    {
        using var gated = app.WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Identity:PasswordHashing:QueueLimit", queueLimit);
            builder.UseSetting("Identity:PasswordHashing:MaxWait", maxWait);
        });
        var client = gated.CreateClient();
        var email = IdentityClient.NewEmail();
        await client.SignUpAsync(email);
        using var metrics = new MetricRecorder(gated.Services.GetRequiredService<IMeterFactory>(), IdentityMetrics.MeterName);

        var answers = await BurstAsync(client, email);

        Assert.All(answers, answer => Assert.Contains(answer.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable }));
        Assert.Contains(answers, answer => answer.StatusCode == HttpStatusCode.OK);
        var refused = answers.Where(answer => answer.StatusCode == HttpStatusCode.ServiceUnavailable).ToArray();
        Assert.NotEmpty(refused);
        foreach (var answer in refused)
        {
            await answer.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
            Assert.True(answer.Headers.RetryAfter?.Delta > TimeSpan.Zero, "a 503 names when to try again");
        }

        Assert.Equal(refused.Length, metrics.Values("platform.identity.password_hashing.rejected", ("reason", reason)).Count);
    }

    [Fact]
    public async Task While_logins_queue_for_hashing_refresh_jwks_and_the_operator_api_answer_before_them()
    {
        var client = app.CreateClient();
        var admin = (await client.LoginAdminAsync()).AccessToken;
        var (user, tokens) = await client.NewUserAsync();
        var refreshToken = tokens.RefreshToken;
        // Once each before the storm, so what is measured below is not a first call's start-up work.
        refreshToken = await RefreshAsync(client, refreshToken);
        await CallsWithoutHashingAsync(client, admin);
        var gate = app.Services.GetRequiredService<PasswordHashingGate>();

        var logins = Enumerable.Range(0, Burst)
            .Select(_ => client.PostAsJsonAsync("/auth/login", new { email = user.Email, password = IdentityClient.Password }))
            .ToArray();
        await Eventually.HoldsAsync(() => gate.Queued > 0, "logins to queue for a turn to hash", TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(5));

        await RefreshAsync(client, refreshToken);
        await CallsWithoutHashingAsync(client, admin);

        // All three answered while logins still wait for a turn: none of them waited behind the hashing.
        Assert.True(gate.Queued > 0, "logins were still queued for hashing when refresh, JWKS and the operator API had answered");
        Assert.Contains(logins, login => !login.IsCompleted);
        Assert.All(await Task.WhenAll(logins), login => Assert.Equal(HttpStatusCode.OK, login.StatusCode));
    }

    /// <summary>The logins, all released at the same moment.</summary>
    private static async Task<HttpResponseMessage[]> BurstAsync(HttpClient client, string email)
    {
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var logins = Enumerable.Range(0, Burst).Select(async _ =>
        {
            await go.Task;
            return await client.PostAsJsonAsync("/auth/login", new { email, password = IdentityClient.Password });
        }).ToArray();
        go.SetResult();
        return await Task.WhenAll(logins);
    }

    private static async Task<string> RefreshAsync(HttpClient client, string refreshToken)
    {
        var response = await client.PostAsJsonAsync("/auth/refresh", new { refreshToken });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<Infrastructure.Tokens>())!.RefreshToken;
    }

    private static async Task CallsWithoutHashingAsync(HttpClient client, string adminToken)
    {
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/.well-known/jwks.json")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(HttpMethod.Get, "/admin/users?pageSize=5", adminToken)).StatusCode);
    }
}
