using Microsoft.AspNetCore.Identity;

namespace Platform.Identity.Tests.Security;

/// <summary>
/// A stolen access token must not be an unlimited oracle for the account's password: wrong current passwords on
/// <c>/auth/password/change</c> count towards the same lockout as wrong logins, for the network they come from, and
/// the guessing session ends. The owner, elsewhere, keeps the account.
/// </summary>
public sealed class ChangePasswordGuessingTests(FastHashApp app) : IClassFixture<FastHashApp>
{
    private const int Guesses = 30;
    private const string NewPassword = "an attacker's chosen passphrase 5";

    /// <summary>The thief's network; the account's owner is elsewhere.</summary>
    private readonly HttpClient _client = app.CreateClientFrom("198.51.100.31");

    private readonly HttpClient _owner = app.CreateClientFrom("203.0.113.31");

    [Fact]
    public async Task Thirty_wrong_current_passwords_lock_their_network_out_and_end_the_guessing_session()
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
        // The guesses locked their network out of the account, not only the session: the right password does not sign
        // in from there for now.
        await (await _client.PostAsJsonAsync("/auth/login", new { email = user.Email, password = IdentityClient.Password }))
            .AssertProblemAsync(HttpStatusCode.Unauthorized);
        await using var scope = app.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<UserManager<User>>().FindByIdAsync(user.Id.ToString());
        Assert.True(await scope.ServiceProvider.GetRequiredService<UserManager<User>>().CheckPasswordAsync(stored!, IdentityClient.Password), "the password changed");
    }

    [Fact]
    public async Task Right_current_password_from_another_session_in_the_locked_network_is_refused_too()
    {
        var (user, stolen) = await _client.NewUserAsync();
        var other = await _client.LoginAsync(user.Email);
        for (var i = 0; i < Guesses / 3; i++)
            await ChangeAsync(stolen.AccessToken, $"wrong guess number {i}");

        await (await ChangeAsync(other.AccessToken, IdentityClient.Password)).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_owner_from_another_network_still_signs_in_and_changes_the_password()
    {
        var (user, stolen) = await _client.NewUserAsync();
        for (var i = 0; i < Guesses / 3; i++)
            await ChangeAsync(stolen.AccessToken, $"wrong guess number {i}");

        var owner = await _owner.LoginAsync(user.Email);
        const string ownersNewPassword = "the owner's own new passphrase 8";
        var changed = await _owner.SendAsync(HttpMethod.Post, "/auth/password/change", owner.AccessToken,
            new { currentPassword = IdentityClient.Password, newPassword = ownersNewPassword });
        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        await _owner.LoginAsync(user.Email, ownersNewPassword);
    }

    private Task<HttpResponseMessage> ChangeAsync(string accessToken, string currentPassword) =>
        _client.SendAsync(HttpMethod.Post, "/auth/password/change", accessToken, new { currentPassword, newPassword = NewPassword });
}
