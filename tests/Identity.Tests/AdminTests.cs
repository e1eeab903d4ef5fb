using MassTransit;
using Platform.ServiceDefaults.Messaging;

namespace Platform.Identity.Tests;

public sealed class AdminTests(IdentityApp app) : IClassFixture<IdentityApp>
{
    private readonly HttpClient _client = app.CreateClient();

    [Theory]
    [InlineData("GET", "/admin/users")]
    [InlineData("GET", "/admin/keys")]
    [InlineData("POST", "/admin/keys/rotate")]
    [InlineData("GET", "/admin/audit")]
    [InlineData("DELETE", "/admin/sessions/7d7a3c39-5e2c-4c0b-9a43-6f0f1f3f0d2a")]
    public async Task Operator_endpoints_answer_401_without_a_token_and_403_insufficient_scope_to_ordinary_users(string method, string path)
    {
        var (_, tokens) = await _client.NewUserAsync();

        var anonymous = await _client.SendAsync(new HttpMethod(method), path, null);
        var ordinary = await _client.SendAsync(new HttpMethod(method), path, tokens.AccessToken);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Bearer error=\"insufficient_scope\"", ordinary.Headers.WwwAuthenticate.ToString());
        await ordinary.AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Users_can_be_searched_and_paged_and_read_with_their_sessions()
    {
        var admin = (await _client.LoginAdminAsync()).AccessToken;
        var (user, _) = await _client.NewUserAsync();

        var found = await (await _client.SendAsync(HttpMethod.Get, $"/admin/users?search={user.Email[..20]}&page=1&pageSize=5", admin)).JsonAsync();
        var details = await (await _client.SendAsync(HttpMethod.Get, $"/admin/users/{user.Id}", admin)).JsonAsync();
        var badPage = await _client.SendAsync(HttpMethod.Get, "/admin/users?pageSize=1000", admin);
        var notGuid = await _client.SendAsync(HttpMethod.Get, "/admin/users/not-a-guid", admin);
        var missing = await _client.SendAsync(HttpMethod.Get, $"/admin/users/{Guid.NewGuid()}", admin);

        Assert.Equal(1, found.GetProperty("total").GetInt32());
        Assert.Equal(5, found.GetProperty("pageSize").GetInt32());
        Assert.Equal(user.Id, found.GetProperty("items")[0].GetProperty("id").GetGuid());
        Assert.True(details.GetProperty("isActive").GetBoolean());
        Assert.Single(details.GetProperty("sessions").EnumerateArray());
        await badPage.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True((int)notGuid.StatusCode is >= 400 and < 500);
        await missing.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Deactivating_twice_publishes_exactly_one_UserDeactivated_and_ends_every_session()
    {
        var admin = (await _client.LoginAdminAsync()).AccessToken;
        var (user, tokens) = await _client.NewUserAsync();

        var first = await _client.SendAsync(HttpMethod.Post, $"/admin/users/{user.Id}/deactivate", admin, new { reason = "abuse report 17" });
        var second = await _client.SendAsync(HttpMethod.Post, $"/admin/users/{user.Id}/deactivate", admin);

        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, second.StatusCode);
        var deactivated = await app.Events.WaitForAsync<UserDeactivated>(e => e.UserId == user.Id);
        Assert.Equal("abuse report 17", deactivated.Reason);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _client.SendAsync(HttpMethod.Get, "/users/me", tokens.AccessToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _client.PostAsJsonAsync("/auth/refresh", new { refreshToken = tokens.RefreshToken })).StatusCode);
        // A later event proves the dispatcher has moved past anything a second deactivation could have queued.
        var (marker, markerTokens) = await _client.NewUserAsync();
        await _client.SendAsync(HttpMethod.Post, "/auth/logout", markerTokens.AccessToken);
        await app.Events.WaitForAsync<SessionRevoked>(e => e.UserId == marker.Id);
        Assert.Single(app.Events.All<UserDeactivated>(), e => e.UserId == user.Id);
        var audit = await (await _client.SendAsync(HttpMethod.Get, $"/admin/audit?userId={user.Id}", admin)).JsonAsync();
        var entry = audit.GetProperty("items").EnumerateArray().First(a => a.GetProperty("action").GetString() == "deactivate" && a.GetProperty("reason").GetString() == "abuse report 17");
        Assert.NotEqual(Guid.Empty, entry.GetProperty("actorId").GetGuid());
    }

    [Fact]
    public async Task A_reactivated_user_can_log_in_again()
    {
        var admin = (await _client.LoginAdminAsync()).AccessToken;
        var email = IdentityClient.NewEmail();
        var user = await _client.SignUpAsync(email);
        await _client.SendAsync(HttpMethod.Post, $"/admin/users/{user.Id}/deactivate", admin);

        var response = await _client.SendAsync(HttpMethod.Post, $"/admin/users/{user.Id}/reactivate", admin);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var tokens = await _client.LoginAsync(email);
        Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(HttpMethod.Get, "/users/me", tokens.AccessToken)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.SendAsync(HttpMethod.Post, $"/admin/users/{Guid.NewGuid()}/reactivate", admin)).StatusCode);
    }

    [Fact]
    public async Task Roles_can_be_granted_and_unknown_roles_answer_400()
    {
        var admin = (await _client.LoginAdminAsync()).AccessToken;
        var email = IdentityClient.NewEmail();
        var user = await _client.SignUpAsync(email);

        var unknown = await _client.SendAsync(HttpMethod.Put, $"/admin/users/{user.Id}/roles", admin, new { roles = new[] { "superuser" } });
        var granted = await _client.SendAsync(HttpMethod.Put, $"/admin/users/{user.Id}/roles", admin, new { roles = new[] { "admin" } });

        await unknown.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.NoContent, granted.StatusCode);
        var tokens = await _client.LoginOperatorAsync(email);
        Assert.Equal("admin", Jwks.Read(tokens.AccessToken).GetClaim("role").Value);
        Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(HttpMethod.Get, "/admin/users", tokens.AccessToken)).StatusCode);
    }

    [Fact]
    public async Task Revoking_a_session_publishes_SessionRevoked_with_reason_admin()
    {
        var admin = (await _client.LoginAdminAsync()).AccessToken;
        var (_, tokens) = await _client.NewUserAsync();
        var sessionId = Guid.Parse(Jwks.Read(tokens.AccessToken).GetClaim("sid").Value);

        var response = await _client.SendAsync(HttpMethod.Delete, $"/admin/sessions/{sessionId}", admin);
        var missing = await _client.SendAsync(HttpMethod.Delete, $"/admin/sessions/{Guid.NewGuid()}", admin);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await missing.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("admin", (await app.Events.WaitForAsync<SessionRevoked>(e => e.SessionId == sessionId)).Reason);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _client.SendAsync(HttpMethod.Get, "/users/me", tokens.AccessToken)).StatusCode);
    }

    [Fact]
    public async Task GetActiveRevocations_over_the_bus_answers_recent_deactivations_and_session_revocations()
    {
        var admin = (await _client.LoginAdminAsync()).AccessToken;
        var (user, _) = await _client.NewUserAsync();
        var (_, other) = await _client.NewUserAsync();
        var sessionId = Guid.Parse(Jwks.Read(other.AccessToken).GetClaim("sid").Value);
        await _client.SendAsync(HttpMethod.Post, $"/admin/users/{user.Id}/deactivate", admin);
        await _client.SendAsync(HttpMethod.Post, "/auth/logout", other.AccessToken);

        var client = app.Events.Bus.CreateRequestClient<GetActiveRevocations>(RequestTimeout.After(s: 30));
        var response = await client.GetResponse<ActiveRevocations>(new GetActiveRevocations("identity-tests"));

        var page = response.Message;
        Assert.Null(page.Next);
        Assert.Contains(user.Id, Enumerable.Range(0, PackedRevocations.Count(page.Users)).Select(i => PackedRevocations.Read(page.Users, i).Id));
        Assert.Contains(sessionId, Enumerable.Range(0, PackedRevocations.Count(page.Sessions)).Select(i => PackedRevocations.Read(page.Sessions, i).Id));
    }
}
