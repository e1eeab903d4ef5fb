using System.Text.Json.Nodes;

namespace Platform.Identity.Tests.Mail;

/// <summary>
/// Password reset answers a wrong token, an unknown address, an expired token and a deactivated account with the same
/// status and the same text, so it tells nobody which addresses have accounts.
/// </summary>
public sealed class ResetAnswerTests(IdentityApp app, ShortResetTokenApp shortLived)
    : IClassFixture<IdentityApp>, IClassFixture<ShortResetTokenApp>, IDisposable
{
    private const string NewPassword = "any new passphrase 13";
    private readonly HttpClient _client = app.CreateClient();
    private readonly HttpClient _shortLivedClient = shortLived.CreateClient();
    private readonly MailCatcher _mail = MailCatcher.Shared();

    [Fact]
    public async Task Wrong_token_unknown_address_expired_token_and_deactivated_account_get_the_same_answer()
    {
        var knownEmail = IdentityClient.NewEmail();
        await _client.SignUpAsync(knownEmail);
        var deactivatedEmail = IdentityClient.NewEmail();
        var deactivated = await _client.SignUpAsync(deactivatedEmail);
        await ForgotAsync(_client, deactivatedEmail);
        var deactivatedToken = await _mail.WaitForResetTokenAsync(deactivatedEmail);
        var admin = await _client.LoginAdminAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await _client.SendAsync(HttpMethod.Post, $"/admin/users/{deactivated.Id}/deactivate", admin.AccessToken)).StatusCode);
        var expiredEmail = IdentityClient.NewEmail();
        await _shortLivedClient.SignUpAsync(expiredEmail);
        var requestedAt = DateTime.UtcNow;
        await ForgotAsync(_shortLivedClient, expiredEmail);
        var expiredToken = await _mail.WaitForResetTokenAsync(expiredEmail);
        var left = requestedAt + ShortResetTokenApp.TokenLifespan + TimeSpan.FromSeconds(1) - DateTime.UtcNow;
        if (left > TimeSpan.Zero)
            await Task.Delay(left);

        // A genuine token, but for another account.
        var wrong = await ResetAsync(_client, knownEmail, deactivatedToken);
        var unknown = await ResetAsync(_client, IdentityClient.NewEmail(), deactivatedToken);
        var gone = await ResetAsync(_client, deactivatedEmail, deactivatedToken);
        var expired = await ResetAsync(_shortLivedClient, expiredEmail, expiredToken);

        Assert.Equal(HttpStatusCode.BadRequest, wrong.Status);
        Assert.Contains("The reset token is invalid or expired.", wrong.Body, StringComparison.Ordinal);
        Assert.Equal(wrong, unknown);
        Assert.Equal(wrong, gone);
        Assert.Equal(wrong, expired);
    }

    [Fact]
    public async Task A_valid_token_with_a_refused_new_password_says_why()
    {
        var email = IdentityClient.NewEmail();
        await _client.SignUpAsync(email);
        await ForgotAsync(_client, email);
        var token = await _mail.WaitForResetTokenAsync(email);

        var response = await _client.PostAsJsonAsync("/auth/password/reset", new { email, token, newPassword = "short" });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("newPassword", out _));
    }

    private static async Task ForgotAsync(HttpClient client, string email) =>
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync("/auth/password/forgot", new { email })).StatusCode);

    /// <summary>The status and the body without its per-request trace id.</summary>
    private static async Task<(HttpStatusCode Status, string Body)> ResetAsync(HttpClient client, string email, string token)
    {
        var response = await client.PostAsJsonAsync("/auth/password/reset", new { email, token, newPassword = NewPassword });
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        body.Remove("traceId");
        return (response.StatusCode, body.ToJsonString());
    }

    public void Dispose()
    {
        _mail.Dispose();
        _client.Dispose();
        _shortLivedClient.Dispose();
    }
}
