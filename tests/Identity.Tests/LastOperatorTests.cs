namespace Platform.Identity.Tests;

/// <summary>
/// Review finding F14: no operator removes itself, and no change leaves the platform without an active operator, not
/// even two operators removing each other at the same moment. Its own fixture, since it demotes the bootstrap operator.
/// </summary>
public sealed class LastOperatorTests(IdentityApp app) : IClassFixture<IdentityApp>
{
    private readonly HttpClient _client = app.CreateClient();

    [Fact]
    public async Task An_operator_cannot_deactivate_itself_or_remove_its_own_admin_role()
    {
        var admin = (await _client.LoginAdminAsync()).AccessToken;
        var self = (await (await _client.SendAsync(HttpMethod.Get, "/users/me", admin)).JsonAsync()).GetProperty("id").GetGuid();
        // A second operator, so the refusals below are about the caller itself and not about the last operator.
        var other = await NewOperatorAsync(admin);

        var deactivate = await _client.SendAsync(HttpMethod.Post, $"/admin/users/{self}/deactivate", admin);
        var demote = await _client.SendAsync(HttpMethod.Put, $"/admin/users/{self}/roles", admin, new { roles = Array.Empty<string>() });
        var keep = await _client.SendAsync(HttpMethod.Put, $"/admin/users/{self}/roles", admin, new { roles = new[] { "admin" } });

        await deactivate.AssertProblemAsync(HttpStatusCode.Conflict);
        await demote.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(HttpStatusCode.NoContent, keep.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(HttpMethod.Get, "/admin/users", admin)).StatusCode);
        Assert.Contains(self, await ActiveOperatorsAsync());
        Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(HttpMethod.Get, "/admin/users", other.Token)).StatusCode);
    }

    [Fact]
    public async Task Two_operators_removing_each_other_at_once_always_leave_one_active_operator()
    {
        var bootstrap = (await _client.LoginAdminAsync()).AccessToken;
        var a = await NewOperatorAsync(bootstrap);
        var b = await NewOperatorAsync(bootstrap);
        // a and b become the only operators (the bootstrap operator and any made by another test of this class).
        foreach (var other in (await ActiveOperatorsAsync()).Except([a.Id, b.Id]))
            Assert.Equal(HttpStatusCode.NoContent,
                (await _client.SendAsync(HttpMethod.Put, $"/admin/users/{other}/roles", a.Token, new { roles = Array.Empty<string>() })).StatusCode);

        for (var round = 0; round < 20; round++)
        {
            // Alternate the two ways of removing an operator; both take the same lock.
            var deactivate = round % 2 == 1;
            var answers = await Task.WhenAll(RemoveAsync(a, b, deactivate), RemoveAsync(b, a, deactivate));

            Assert.Single(answers, r => r.StatusCode == HttpStatusCode.NoContent);
            Assert.Single(answers, r => r.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden);
            var (winner, loser) = answers[0].StatusCode == HttpStatusCode.NoContent ? (a, b) : (b, a);
            Assert.Equal([winner.Id], await ActiveOperatorsAsync());

            // The winner restores the loser for the next round.
            if (deactivate)
                Assert.Equal(HttpStatusCode.NoContent, (await _client.SendAsync(HttpMethod.Post, $"/admin/users/{loser.Id}/reactivate", winner.Token)).StatusCode);
            Assert.Equal(HttpStatusCode.NoContent,
                (await _client.SendAsync(HttpMethod.Put, $"/admin/users/{loser.Id}/roles", winner.Token, new { roles = new[] { "admin" } })).StatusCode);
            (a, b) = (winner, loser with { Token = (await _client.LoginOperatorAsync(loser.Email)).AccessToken });
        }
    }

    [Theory]
    [InlineData("/admin/users/{id}/deactivate", "post")]
    [InlineData("/admin/users/{id}/roles", "put")]
    public async Task The_routes_that_can_remove_an_operator_document_their_409_problem(string path, string method)
    {
        using var document = JsonDocument.Parse(await _client.GetStringAsync("/openapi/v1.json"));

        var responses = document.RootElement.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("responses");

        Assert.True(responses.GetProperty("409").GetProperty("content").TryGetProperty("application/problem+json", out _));
    }

    private Task<HttpResponseMessage> RemoveAsync(Operator caller, Operator target, bool deactivate) => deactivate
        ? _client.SendAsync(HttpMethod.Post, $"/admin/users/{target.Id}/deactivate", caller.Token)
        : _client.SendAsync(HttpMethod.Put, $"/admin/users/{target.Id}/roles", caller.Token, new { roles = Array.Empty<string>() });

    private async Task<Operator> NewOperatorAsync(string admin)
    {
        var email = IdentityClient.NewEmail();
        var user = await _client.SignUpAsync(email);
        var granted = await _client.SendAsync(HttpMethod.Put, $"/admin/users/{user.Id}/roles", admin, new { roles = new[] { "admin" } });
        Assert.Equal(HttpStatusCode.NoContent, granted.StatusCode);
        return new Operator(user.Id, email, (await _client.LoginOperatorAsync(email)).AccessToken);
    }

    /// <summary>Read from the database, not the API: with no operator left, nobody could ask.</summary>
    private async Task<List<Guid>> ActiveOperatorsAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
        return await (from link in db.UserRoles
                      join role in db.Roles on link.RoleId equals role.Id
                      join user in db.Users on link.UserId equals user.Id
                      where role.Name == "admin" && user.IsActive
                      select user.Id).ToListAsync();
    }

    private sealed record Operator(Guid Id, string Email, string Token);
}
