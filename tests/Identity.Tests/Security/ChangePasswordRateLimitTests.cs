namespace Platform.Identity.Tests.Security;

/// <summary>Password change is throttled per client like login, so guessing through many stolen tokens is slow too.</summary>
public sealed class ChangePasswordRateLimitTests(StrictApp app) : IClassFixture<StrictApp>
{
    private readonly HttpClient _client = app.CreateClient();

    [Fact]
    public async Task Password_change_answers_429_once_the_per_client_limit_is_spent()
    {
        var (_, tokens) = await _client.NewUserAsync();
        var statuses = new List<HttpStatusCode>();

        // Four guesses stay under the lockout threshold (5), so only the limit (3 per window) can refuse the last one.
        for (var i = 0; i < 4; i++)
        {
            var response = await _client.SendAsync(HttpMethod.Post, "/auth/password/change", tokens.AccessToken,
                new { currentPassword = $"not the password {i}", newPassword = "a brand new passphrase 77" });
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.TooManyRequests], statuses);
    }
}
