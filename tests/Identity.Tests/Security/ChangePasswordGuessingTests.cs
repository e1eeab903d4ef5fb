using Microsoft.AspNetCore.Identity;

namespace Platform.Identity.Tests.Security;

/// <summary>
/// A stolen access token must not be an unlimited oracle for the account's password: wrong current passwords on
/// <c>/auth/password/change</c> count towards the same lockout as wrong logins, and the guessing session ends.
/// </summary>
public sealed class ChangePasswordGuessingTests(FastHashApp app) : IClassFixture<FastHashApp>
{
    private const int Guesses = 30;
    private const string NewPassword = "an attacker's chosen passphrase 5";

    private readonly HttpClient _client = app.CreateClient();

    [Fact]
    public async Task Thirty_wrong_current_passwords_lock_the_account_and_end_the_guessing_session()
    {
        var (user, stolen) = await _client.NewUserAsync();
        var threshold = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<IdentityOptions>>().Value.Lockout.MaxFailedAccessAttempts;

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < Guesses; i++)
            answers.Add((await ChangeAsync(stolen.AccessToken, $"wrong guess number {i}")).StatusCode);

        Assert.All(answers.Take(threshold - 1), status => Assert.Equal(HttpStatusCode.BadRequest, status));
        Assert.All(answers.Skip(threshold - 1), status => Assert.Contains(status, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests }));
        await (await ChangeAsync(stolen.AccessToken, IdentityClient.Password)).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _client.SendAsync(HttpMethod.Get, "/users/me", stolen.AccessToken)).StatusCode);
        var sid = Jwks.Read(stolen.AccessToken).GetClaim("sid").Value;
        await app.Events.WaitForAsync<SessionRevoked>(e => e.SessionId.ToString() == sid && e.UserId == user.Id && e.Reason == SessionRevokedReasons.LockedOut);
        // The guesses locked the account itself, not only the session: the right password does not sign in for now.
        await (await _client.PostAsJsonAsync("/auth/login", new { email = user.Email, password = IdentityClient.Password }))
            .AssertProblemAsync(HttpStatusCode.Unauthorized);
        await using var scope = app.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<UserManager<User>>().FindByIdAsync(user.Id.ToString());
        Assert.True(await scope.ServiceProvider.GetRequiredService<UserManager<User>>().CheckPasswordAsync(stored!, IdentityClient.Password), "the password changed");
    }

    [Fact]
    public async Task Right_current_password_from_another_session_of_a_locked_account_is_refused_too()
    {
        var (user, stolen) = await _client.NewUserAsync();
        var owner = await _client.LoginAsync(user.Email);
        for (var i = 0; i < Guesses / 3; i++)
            await ChangeAsync(stolen.AccessToken, $"wrong guess number {i}");

        await (await ChangeAsync(owner.AccessToken, IdentityClient.Password)).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    private Task<HttpResponseMessage> ChangeAsync(string accessToken, string currentPassword) =>
        _client.SendAsync(HttpMethod.Post, "/auth/password/change", accessToken, new { currentPassword, newPassword = NewPassword });
}
