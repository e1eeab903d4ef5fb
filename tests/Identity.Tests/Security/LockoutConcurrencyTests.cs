using Microsoft.AspNetCore.Identity;

namespace Platform.Identity.Tests.Security;

/// <summary>
/// Lockout must count every failure, however many arrive at once: a burst of parallel guesses locks the account like
/// the same guesses one after another, instead of losing updates to each other.
/// </summary>
public sealed class LockoutConcurrencyTests(FastHashApp app) : IClassFixture<FastHashApp>
{
    private const int Guesses = 40;

    private readonly HttpClient _client = app.CreateClient();

    [Fact]
    public async Task Forty_parallel_wrong_passwords_lock_the_account_and_the_right_one_then_gets_the_same_401()
    {
        var email = IdentityClient.NewEmail();
        var user = await _client.SignUpAsync(email);

        var answers = await Task.WhenAll(Enumerable.Range(0, Guesses)
            .Select(i => _client.PostAsJsonAsync("/auth/login", new { email, password = $"wrong guess number {i}" })));

        Assert.All(answers, answer => Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode));
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var stored = await scope.ServiceProvider.GetRequiredService<UserManager<User>>().FindByIdAsync(user.Id.ToString());
            Assert.True(stored!.LockoutEnd > DateTimeOffset.UtcNow, "the burst did not lock the account");
        }

        var right = await _client.PostAsJsonAsync("/auth/login", new { email, password = IdentityClient.Password });
        var unknown = await _client.PostAsJsonAsync("/auth/login", new { email = IdentityClient.NewEmail(), password = IdentityClient.Password });
        await right.AssertProblemAsync(HttpStatusCode.Unauthorized);
        await unknown.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(WithoutTraceId(await unknown.Content.ReadAsStringAsync()), WithoutTraceId(await right.Content.ReadAsStringAsync()));
    }

    private static string WithoutTraceId(string body) => System.Text.RegularExpressions.Regex.Replace(body, "\"traceId\":\"[^\"]*\"", "");
}
