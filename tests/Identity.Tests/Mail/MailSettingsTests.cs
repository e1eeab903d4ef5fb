namespace Platform.Identity.Tests.Mail;

/// <summary>Outside Development Identity needs a mail server for reset mail, or reset mail turned off explicitly.</summary>
public sealed class MailSettingsTests(IdentityApp app) : IClassFixture<IdentityApp>
{
    [Fact]
    public void Production_without_a_mail_server_refuses_to_start_naming_the_setting()
    {
        using var production = app.WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Production");
            builder.UseSetting("Identity:Mail:Host", "");
        });

        var error = Assert.ThrowsAny<Exception>(() => production.Server);

        Assert.Contains("Identity:Mail:Host", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("Identity:Mail:Enabled=false", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Production_with_reset_mail_turned_off_starts_and_forgot_password_answers_202_without_writing_mail()
    {
        using var production = app.WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Production");
            builder.UseSetting("Identity:Mail:Host", "");
            builder.UseSetting("Identity:Mail:Enabled", "false");
        });
        using var client = production.CreateClient();
        var email = IdentityClient.NewEmail();
        var user = await client.SignUpAsync(email);

        var response = await client.PostAsJsonAsync("/auth/password/forgot", new { email });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await app.Events.WaitForAsync<PasswordResetRequested>(e => e.UserId == user.Id);
        await using var scope = production.Services.CreateAsyncScope();
        Assert.False(await scope.ServiceProvider.GetRequiredService<IdentityDb>().MailMessages.AnyAsync(m => m.UserId == user.Id));
    }
}
