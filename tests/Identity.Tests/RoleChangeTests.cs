namespace Platform.Identity.Tests;

/// <summary>
/// Review finding F4: the role is in the access token, so removing it must end the user's sessions at once, or a
/// demoted operator stays one until its token expires, long enough to give the role back to itself.
/// </summary>
public sealed class RoleChangeTests(IdentityApp app) : IClassFixture<IdentityApp>
{
    private readonly HttpClient _client = app.CreateClient();

    [Fact]
    public async Task A_demoted_operator_is_refused_at_once_cannot_grant_itself_admin_again_and_every_session_end_is_announced()
    {
        var admin = (await _client.LoginAdminAsync()).AccessToken;
        var rogue = await NewOperatorAsync(admin);
        var second = await _client.LoginOperatorAsync(rogue.Email);

        var demoted = await _client.SendAsync(HttpMethod.Put, $"/admin/users/{rogue.Id}/roles", admin, new { roles = Array.Empty<string>() });
        var list = await _client.SendAsync(HttpMethod.Get, "/admin/users", rogue.Tokens.AccessToken);
        var regrant = await _client.SendAsync(HttpMethod.Put, $"/admin/users/{rogue.Id}/roles", second.AccessToken, new { roles = new[] { "admin" } });
        var refresh = await _client.PostAsJsonAsync("/auth/refresh", new { refreshToken = rogue.Tokens.RefreshToken });

        Assert.Equal(HttpStatusCode.NoContent, demoted.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, list.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, regrant.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, refresh.StatusCode);
        Assert.Empty(await RolesOfAsync(admin, rogue.Id));
        foreach (var token in new[] { rogue.Tokens.AccessToken, second.AccessToken })
        {
            var sessionId = SessionOf(token);
            var revoked = await app.Events.WaitForAsync<SessionRevoked>(e => e.SessionId == sessionId);
            Assert.Equal(SessionRevokedReasons.RolesChanged, revoked.Reason);
            Assert.Equal(rogue.Id, revoked.UserId);
        }
    }

    [Fact]
    public async Task Granting_a_role_or_setting_the_same_roles_again_ends_no_session()
    {
        var admin = (await _client.LoginAdminAsync()).AccessToken;
        var (user, tokens) = await _client.NewUserAsync();

        var granted = await _client.SendAsync(HttpMethod.Put, $"/admin/users/{user.Id}/roles", admin, new { roles = new[] { "admin" } });
        var again = await _client.SendAsync(HttpMethod.Put, $"/admin/users/{user.Id}/roles", admin, new { roles = new[] { "admin" } });

        Assert.Equal(HttpStatusCode.NoContent, granted.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, again.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(HttpMethod.Get, "/users/me", tokens.AccessToken)).StatusCode);
        // A later event proves the dispatcher has moved past anything the role changes could have queued.
        var (marker, markerTokens) = await _client.NewUserAsync();
        await _client.SendAsync(HttpMethod.Post, "/auth/logout", markerTokens.AccessToken);
        await app.Events.WaitForAsync<SessionRevoked>(e => e.UserId == marker.Id);
        Assert.DoesNotContain(app.Events.All<SessionRevoked>(), e => e.UserId == user.Id);
    }

    [Fact]
    public async Task Requests_a_demoted_operator_had_in_flight_cannot_restore_its_role()
    {
        var admin = (await _client.LoginAdminAsync()).AccessToken;
        for (var round = 0; round < 10; round++)
        {
            var rogue = await NewOperatorAsync(admin);
            var regrants = Enumerable.Range(0, 4).Select(_ =>
                _client.SendAsync(HttpMethod.Put, $"/admin/users/{rogue.Id}/roles", rogue.Tokens.AccessToken, new { roles = new[] { "admin" } }));
            var demotion = _client.SendAsync(HttpMethod.Put, $"/admin/users/{rogue.Id}/roles", admin, new { roles = Array.Empty<string>() });

            var answers = await Task.WhenAll(regrants.Append(demotion));

            Assert.Equal(HttpStatusCode.NoContent, answers[^1].StatusCode);
            Assert.All(answers, a => Assert.Contains(a.StatusCode, new[] { HttpStatusCode.NoContent, HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden }));
            Assert.Empty(await RolesOfAsync(admin, rogue.Id));
        }
    }

    private async Task<(Guid Id, string Email, Infrastructure.Tokens Tokens)> NewOperatorAsync(string admin)
    {
        var email = IdentityClient.NewEmail();
        var user = await _client.SignUpAsync(email);
        var granted = await _client.SendAsync(HttpMethod.Put, $"/admin/users/{user.Id}/roles", admin, new { roles = new[] { "admin" } });
        Assert.Equal(HttpStatusCode.NoContent, granted.StatusCode);
        return (user.Id, email, await _client.LoginOperatorAsync(email));
    }

    private async Task<string[]> RolesOfAsync(string admin, Guid userId)
    {
        var details = await (await _client.SendAsync(HttpMethod.Get, $"/admin/users/{userId}", admin)).JsonAsync();
        return details.GetProperty("roles").EnumerateArray().Select(r => r.GetString()!).ToArray();
    }

    private static Guid SessionOf(string accessToken) => Guid.Parse(Jwks.Read(accessToken).GetClaim("sid").Value);
}
