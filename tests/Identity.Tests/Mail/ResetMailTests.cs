namespace Platform.Identity.Tests.Mail;

/// <summary>The reset link travels only by mail: through the mail catcher, never readable in the database or on the bus.</summary>
public sealed class ResetMailTests(IdentityApp app) : IClassFixture<IdentityApp>, IDisposable
{
    private readonly HttpClient _client = app.CreateClient();
    private readonly MailCatcher _mail = MailCatcher.Shared();

    [Fact]
    public async Task Forgot_password_mails_a_code_that_resets_the_password_and_no_table_or_event_ever_holds_it()
    {
        var email = IdentityClient.NewEmail();
        var user = await _client.SignUpAsync(email);

        Assert.Equal(HttpStatusCode.Accepted, (await _client.PostAsJsonAsync("/auth/password/forgot", new { email })).StatusCode);
        var atRequest = await DatabaseText.ReadAsync(app.Database.ConnectionString);
        var token = await _mail.WaitForResetTokenAsync(email);
        const string newPassword = "mailed reset passphrase 12";
        var reset = await _client.PostAsJsonAsync("/auth/password/reset", new { email, token, newPassword });

        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        await _client.LoginAsync(email, newPassword);
        var mail = await SingleMailRowAsync(user.Id);
        Assert.NotNull(mail.SentAt);
        Assert.Null(mail.EncryptedToken);
        Assert.False(DatabaseText.Holds(atRequest, token), "the database held the reset token when the request was answered");
        Assert.False(DatabaseText.Holds(await DatabaseText.ReadAsync(app.Database.ConnectionString), token), "the database holds the reset token after the reset");

        await app.Events.WaitForAsync<PasswordResetRequested>(e => e.UserId == user.Id);
        var body = app.Events.MessageIds<PasswordResetRequested>().Select(id => app.Events.BodyOf(id!.Value)).Single(b => b!.Contains(user.Id.ToString(), StringComparison.Ordinal))!;
        Assert.DoesNotContain(token, body, StringComparison.Ordinal);
        Assert.DoesNotContain(email, body, StringComparison.OrdinalIgnoreCase);
        var message = JsonDocument.Parse(body).RootElement.GetProperty("message");
        Assert.Equal(["userId", "requestedAt", "expiresAt"], message.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Forgot_password_for_one_address_sends_at_most_three_mails_and_answers_every_request_alike()
    {
        var email = IdentityClient.NewEmail();
        var user = await _client.SignUpAsync(email);
        var unknown = IdentityClient.NewEmail();

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            answers.Add((await _client.PostAsJsonAsync("/auth/password/forgot", new { email })).StatusCode);
            answers.Add((await _client.PostAsJsonAsync("/auth/password/forgot", new { email = unknown })).StatusCode);
        }

        Assert.All(answers, status => Assert.Equal(HttpStatusCode.Accepted, status));
        await using var scope = app.Services.CreateAsyncScope();
        Assert.Equal(3, await scope.ServiceProvider.GetRequiredService<IdentityDb>().MailMessages.CountAsync(m => m.UserId == user.Id));
        await _mail.WaitForMailsAsync(email, 3);
        await Eventually.HoldsAsync(async () =>
        {
            await using var check = app.Services.CreateAsyncScope();
            return !await check.ServiceProvider.GetRequiredService<IdentityDb>().MailMessages.AnyAsync(m => m.UserId == user.Id && m.EncryptedToken != null);
        }, "every mail to the address sent");
        Assert.Equal(3, (await _mail.MailsToAsync(email)).Count);
        Assert.Empty(await _mail.MailsToAsync(unknown));
    }

    private async Task<OutgoingMail> SingleMailRowAsync(Guid userId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
        return await Eventually.ValueAsync(
            () => db.MailMessages.AsNoTracking().SingleAsync(m => m.UserId == userId), m => m.SentAt is not null, "the mail row marked sent");
    }

    public void Dispose()
    {
        _mail.Dispose();
        _client.Dispose();
    }
}
