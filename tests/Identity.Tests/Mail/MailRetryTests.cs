using System.Globalization;

namespace Platform.Identity.Tests.Mail;

/// <summary>
/// With the mail server down, a reset mail waits in the outbox, encrypted, and is retried; once the server is up it
/// is delivered and the stored token erased.
/// </summary>
public sealed class MailRetryTests(MailRetryTests.MailServerLaterApp app) : IClassFixture<MailRetryTests.MailServerLaterApp>, IAsyncLifetime
{
    private readonly HttpClient _client = app.CreateClient();

    [Fact]
    public async Task A_reset_mail_written_while_the_mail_server_is_down_is_retried_and_delivered_once_it_is_up()
    {
        var email = IdentityClient.NewEmail();
        var user = await _client.SignUpAsync(email);

        Assert.Equal(HttpStatusCode.Accepted, (await _client.PostAsJsonAsync("/auth/password/forgot", new { email })).StatusCode);
        var waiting = await Eventually.ValueAsync(() => MailRowAsync(user.Id), m => m.Attempts >= 2, "two failed delivery attempts");
        var whileDown = await DatabaseText.ReadAsync(app.Database.ConnectionString);
        await app.Catcher.StartAsync();
        using var mail = new MailCatcher(app.Catcher.Api);
        var token = await mail.WaitForResetTokenAsync(email, TimeSpan.FromSeconds(30));
        var sent = await Eventually.ValueAsync(() => MailRowAsync(user.Id), m => m.SentAt is not null, "the mail row marked sent");

        Assert.Null(waiting.SentAt);
        Assert.NotNull(waiting.EncryptedToken);
        Assert.Null(sent.EncryptedToken);
        Assert.False(DatabaseText.Holds(whileDown, token), "the database held the reset token while the mail waited");
        const string newPassword = "delivered later passphrase 14";
        Assert.Equal(HttpStatusCode.NoContent, (await _client.PostAsJsonAsync("/auth/password/reset", new { email, token, newPassword })).StatusCode);
        await _client.LoginAsync(email, newPassword);
    }

    private async Task<OutgoingMail> MailRowAsync(Guid userId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IdentityDb>().MailMessages.AsNoTracking().SingleAsync(m => m.UserId == userId);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await app.Catcher.DisposeAsync();
    }

    /// <summary>Identity pointed at a mail server that is not running until the test starts it; retries every second or two.</summary>
    public sealed class MailServerLaterApp : IdentityApp
    {
        public PrivateMailCatcher Catcher { get; } = PrivateMailCatcher.Reserve();

        protected override (string Host, int Port) Smtp => ("127.0.0.1", Catcher.SmtpPort);

        protected override void Configure(IWebHostBuilder builder) =>
            builder.UseSetting("Identity:Mail:MaxRetryDelay", TimeSpan.FromSeconds(2).ToString("c", CultureInfo.InvariantCulture));
    }
}
