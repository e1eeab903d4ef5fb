using Microsoft.AspNetCore.Identity;

namespace Platform.Identity.Tests.Sessions;

/// <summary>A session is bound to the user's security stamp when it begins; once the stamp changes, it is refused.</summary>
public sealed class SessionStampTests(IdentityApp app) : IClassFixture<IdentityApp>
{
    private readonly HttpClient _client = app.CreateClient();

    [Fact]
    public async Task A_session_whose_stamp_changed_is_refused_at_refresh_and_by_identity_and_is_revoked()
    {
        var (user, tokens) = await _client.NewUserAsync();
        var sessionId = Guid.Parse(Jwks.Read(tokens.AccessToken).GetClaim("sid").Value);

        // A new stamp with the session left open, as a change written by another path would leave it.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
            await users.UpdateSecurityStampAsync((await users.FindByIdAsync(user.Id.ToString()))!);
        }

        var me = await _client.SendAsync(HttpMethod.Get, "/users/me", tokens.AccessToken);
        var refresh = await _client.PostAsJsonAsync("/auth/refresh", new { refreshToken = tokens.RefreshToken });

        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
        await refresh.AssertProblemAsync(HttpStatusCode.Unauthorized);
        var revoked = await app.Events.WaitForAsync<SessionRevoked>(e => e.SessionId == sessionId);
        Assert.Equal(SessionRevokedReasons.CredentialsChanged, revoked.Reason);
        Assert.Equal(user.Id, revoked.UserId);
    }

    [Fact]
    public async Task A_password_change_keeps_the_calling_session_refreshing_and_ends_the_others()
    {
        var email = IdentityClient.NewEmail();
        await _client.SignUpAsync(email);
        var caller = await _client.LoginAsync(email);
        var other = await _client.LoginAsync(email);

        var change = await _client.SendAsync(HttpMethod.Post, "/auth/password/change", caller.AccessToken,
            new { currentPassword = IdentityClient.Password, newPassword = "another long passphrase 8" });

        Assert.Equal(HttpStatusCode.NoContent, change.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(HttpMethod.Get, "/users/me", caller.AccessToken)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.PostAsJsonAsync("/auth/refresh", new { refreshToken = caller.RefreshToken })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _client.SendAsync(HttpMethod.Get, "/users/me", other.AccessToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _client.PostAsJsonAsync("/auth/refresh", new { refreshToken = other.RefreshToken })).StatusCode);
    }
}
