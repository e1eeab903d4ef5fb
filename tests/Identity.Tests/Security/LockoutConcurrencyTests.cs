namespace Platform.Identity.Tests.Security;

/// <summary>
/// Lockout must count every failure, however many arrive at once: a burst of parallel guesses from one network locks
/// that network out of the account like the same guesses one after another, instead of losing updates to each other.
/// </summary>
public sealed class LockoutConcurrencyTests(FastHashApp app) : IClassFixture<FastHashApp>
{
    private const int Guesses = 40;

    private readonly HttpClient _client = app.CreateClientFrom("198.51.100.23");

    [Fact]
    public async Task Forty_parallel_wrong_passwords_lock_their_network_out_and_the_right_one_then_gets_the_same_401()
    {
        var email = IdentityClient.NewEmail();
        var user = await _client.SignUpAsync(email);

        var answers = await Task.WhenAll(Enumerable.Range(0, Guesses)
            .Select(i => _client.PostAsJsonAsync("/auth/login", new { email, password = $"wrong guess number {i}" })));

        Assert.All(answers, answer => Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode));
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var throttle = await scope.ServiceProvider.GetRequiredService<IdentityDb>().LoginThrottles.SingleAsync(t => t.UserId == user.Id);
            Assert.Equal("198.51.100.0/24", throttle.Network);
            Assert.True(throttle.LockedUntil > DateTimeOffset.UtcNow, "the burst did not lock the network out");
        }

        var right = await _client.PostAsJsonAsync("/auth/login", new { email, password = IdentityClient.Password });
        var unknown = await _client.PostAsJsonAsync("/auth/login", new { email = IdentityClient.NewEmail(), password = IdentityClient.Password });
        await right.AssertProblemAsync(HttpStatusCode.Unauthorized);
        await unknown.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(WithoutTraceId(await unknown.Content.ReadAsStringAsync()), WithoutTraceId(await right.Content.ReadAsStringAsync()));
        using var owner = app.CreateClientFrom("203.0.113.23");
        await owner.LoginAsync(email);
    }

    private static string WithoutTraceId(string body) => System.Text.RegularExpressions.Regex.Replace(body, "\"traceId\":\"[^\"]*\"", "");
}
