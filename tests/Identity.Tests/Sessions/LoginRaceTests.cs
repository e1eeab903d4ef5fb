using Microsoft.AspNetCore.Identity;
using Xunit.Abstractions;

namespace Platform.Identity.Tests.Sessions;

/// <summary>
/// A login that verified the old password while a password reset or a deactivation committed must not keep a session:
/// logins are started together with the change, many times over, and afterwards no session of the user is open and no
/// refresh token from those logins still works.
/// </summary>
public sealed class LoginRaceTests(CredentialRaceApp app, ITestOutputHelper output) : IClassFixture<CredentialRaceApp>
{
    private const int Iterations = 200;
    private const int LoginsPerIteration = 3;

    private readonly HttpClient _client = app.CreateClient();

    [Fact]
    public async Task Logins_racing_a_password_reset_leave_no_session_and_no_refresh_token_that_outlives_it()
    {
        var outcome = new RaceOutcome();
        for (var i = 0; i < Iterations; i++)
        {
            var email = IdentityClient.NewEmail();
            var user = await _client.SignUpAsync(email);
            var token = await ResetTokenAsync(user.Id);
            var newPassword = $"the new passphrase {Guid.NewGuid():N}";

            var (change, logins) = await RaceAsync(email, () =>
                _client.PostAsJsonAsync("/auth/password/reset", new { email, token, newPassword }));

            Assert.Equal(HttpStatusCode.NoContent, change.StatusCode);
            await outcome.AddAsync(_client, user.Id, logins, await OpenSessionsAsync(user.Id));
        }

        output.WriteLine(outcome.ToString());
        Assert.False(outcome.AnySurvived, $"Sessions opened with the old password survived the reset: {outcome}");
    }

    [Fact]
    public async Task Logins_racing_a_deactivation_leave_no_session_and_each_ended_session_is_announced_as_deactivated()
    {
        var admin = (await _client.LoginAdminAsync()).AccessToken;
        var outcome = new RaceOutcome();
        var users = new List<Guid>();
        for (var i = 0; i < Iterations; i++)
        {
            var email = IdentityClient.NewEmail();
            var user = await _client.SignUpAsync(email);
            users.Add(user.Id);

            var (change, logins) = await RaceAsync(email, () =>
                _client.SendAsync(HttpMethod.Post, $"/admin/users/{user.Id}/deactivate", admin));

            Assert.Equal(HttpStatusCode.NoContent, change.StatusCode);
            await outcome.AddAsync(_client, user.Id, logins, await OpenSessionsAsync(user.Id));
        }

        output.WriteLine(outcome.ToString());
        Assert.False(outcome.AnySurvived, $"Sessions opened by racing logins survived the deactivation: {outcome}");
        var ended = await SessionsAsync(users);
        Assert.All(ended, s => Assert.Equal(SessionRevokedReasons.Deactivated, s.RevokedReason));
        var endedIds = ended.Select(s => s.Id).ToHashSet();
        await Eventually.HoldsAsync(
            () => Task.FromResult(endedIds.IsSubsetOf(
                app.Events.All<SessionRevoked>().Where(e => e.Reason == SessionRevokedReasons.Deactivated).Select(e => e.SessionId))),
            () => $"a SessionRevoked (deactivated) for each of the {endedIds.Count} sessions ended by deactivation; " +
                $"missing {endedIds.Except(app.Events.All<SessionRevoked>().Select(e => e.SessionId)).Count()}",
            TimeSpan.FromSeconds(30));
    }

    /// <summary>Starts the logins and the change at the same moment and waits for all of them.</summary>
    private async Task<(HttpResponseMessage Change, HttpResponseMessage[] Logins)> RaceAsync(string email, Func<Task<HttpResponseMessage>> change)
    {
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var logins = Enumerable.Range(0, LoginsPerIteration).Select(async _ =>
        {
            await go.Task;
            return await _client.PostAsJsonAsync("/auth/login", new { email, password = IdentityClient.Password });
        }).ToArray();
        var changed = Task.Run(async () =>
        {
            await go.Task;
            return await change();
        });
        go.SetResult();
        return (await changed, await Task.WhenAll(logins));
    }

    private async Task<string> ResetTokenAsync(Guid userId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
        return await users.GeneratePasswordResetTokenAsync((await users.FindByIdAsync(userId.ToString()))!);
    }

    private async Task<int> OpenSessionsAsync(Guid userId) =>
        (await SessionsAsync([userId])).Count(s => s.RevokedAt is null);

    private async Task<List<Session>> SessionsAsync(IReadOnlyCollection<Guid> userIds)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IdentityDb>().Sessions.AsNoTracking().Where(s => userIds.Contains(s.UserId)).ToListAsync();
    }

    /// <summary>What the racing logins got, and how many of their sessions outlived the change.</summary>
    private sealed class RaceOutcome
    {
        public int Issued { get; private set; }

        public int Refused { get; private set; }

        public int Refreshable { get; private set; }

        public int Open { get; private set; }

        public bool AnySurvived => Open > 0 || Refreshable > 0;

        public async Task AddAsync(HttpClient client, Guid userId, HttpResponseMessage[] logins, int open)
        {
            Open += open;
            foreach (var login in logins)
            {
                if (login.StatusCode != HttpStatusCode.OK)
                {
                    Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
                    Refused++;
                    continue;
                }

                Issued++;
                var tokens = (await login.Content.ReadFromJsonAsync<Infrastructure.Tokens>())!;
                var refresh = await client.PostAsJsonAsync("/auth/refresh", new { refreshToken = tokens.RefreshToken });
                if (refresh.StatusCode == HttpStatusCode.OK)
                    Refreshable++;
            }
        }

        public override string ToString() =>
            $"{Iterations} rounds of {LoginsPerIteration} logins: {Issued} issued tokens, {Refused} refused; " +
            $"sessions still open afterwards: {Open}; refresh tokens still refreshing: {Refreshable}";
    }
}
