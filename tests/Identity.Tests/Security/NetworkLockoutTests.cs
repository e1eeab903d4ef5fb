using Microsoft.AspNetCore.Identity;

namespace Platform.Identity.Tests.Security;

/// <summary>
/// Wrong passwords lock an account out of the network they came from (its IPv4 /24 or IPv6 /64), not out of
/// everywhere: whoever knows an e-mail cannot keep its owner, an operator included, from signing in elsewhere.
/// </summary>
public sealed class NetworkLockoutTests(FastHashApp app) : IClassFixture<FastHashApp>
{
    private const int Threshold = 5;

    [Fact]
    public async Task Five_wrong_passwords_lock_out_their_network_while_the_operator_signs_in_from_another()
    {
        using var attacker = app.CreateClientFrom("198.51.100.66");
        using var operatorAtHome = app.CreateClientFrom("203.0.113.10");

        await GuessAsync(attacker, IdentityApp.AdminEmail, Threshold);

        var locked = await attacker.PostAsJsonAsync("/auth/login", new { email = IdentityApp.AdminEmail, password = IdentityApp.AdminPassword });
        var unknown = await attacker.PostAsJsonAsync("/auth/login", new { email = IdentityClient.NewEmail(), password = IdentityApp.AdminPassword });
        await locked.AssertProblemAsync(HttpStatusCode.Unauthorized);
        await unknown.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(WithoutTraceId(await unknown.Content.ReadAsStringAsync()), WithoutTraceId(await locked.Content.ReadAsStringAsync()));
        await operatorAtHome.LoginAdminAsync();
        // ASP.NET Identity's own account-wide lockout stays untouched.
        await using var scope = app.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<UserManager<User>>().FindByEmailAsync(IdentityApp.AdminEmail);
        Assert.Null(stored!.LockoutEnd);
        Assert.Equal(0, stored.AccessFailedCount);
    }

    [Theory]
    [InlineData("192.0.2.1", "192.0.2.254", "::ffff:192.0.2.77", "192.0.3.1")]
    [InlineData("2001:db8:5:6::1", "2001:db8:5:6:ffff:ffff:ffff:fffe", "2001:db8:5:6:1234::9", "2001:db8:5:7::1")]
    public async Task Addresses_of_one_network_share_its_lock_and_another_network_does_not(string guesser, string neighbour, string sameNetwork, string otherNetwork)
    {
        var email = IdentityClient.NewEmail();
        await app.CreateClient().SignUpAsync(email);
        using var first = app.CreateClientFrom(guesser);
        using var second = app.CreateClientFrom(neighbour);

        // The guesses alternate between two addresses of one network; together they reach the threshold.
        for (var i = 0; i < Threshold; i++)
            await (await (i % 2 == 0 ? first : second).PostAsJsonAsync("/auth/login", new { email, password = $"wrong guess {i}" }))
                .AssertProblemAsync(HttpStatusCode.Unauthorized);

        foreach (var address in new[] { guesser, neighbour, sameNetwork })
        {
            using var client = app.CreateClientFrom(address);
            await (await client.PostAsJsonAsync("/auth/login", new { email, password = IdentityClient.Password })).AssertProblemAsync(HttpStatusCode.Unauthorized);
        }

        using var elsewhere = app.CreateClientFrom(otherNetwork);
        await elsewhere.LoginAsync(email);
    }

    [Fact]
    public async Task A_right_password_clears_the_count_of_its_own_network_only()
    {
        var email = IdentityClient.NewEmail();
        await app.CreateClient().SignUpAsync(email);
        using var owner = app.CreateClientFrom("203.0.113.20");
        using var guesser = app.CreateClientFrom("198.51.101.20");

        await GuessAsync(owner, email, Threshold - 1);
        await GuessAsync(guesser, email, Threshold - 1);
        await owner.LoginAsync(email);
        await GuessAsync(owner, email, Threshold - 1);
        await GuessAsync(guesser, email, 1);

        await owner.LoginAsync(email);
        await (await guesser.PostAsJsonAsync("/auth/login", new { email, password = IdentityClient.Password })).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_password_reset_lifts_every_networks_lock()
    {
        var email = IdentityClient.NewEmail();
        var user = await app.CreateClient().SignUpAsync(email);
        using var home = app.CreateClientFrom("203.0.113.30");
        using var office = app.CreateClientFrom("2001:db8:30::1");
        await GuessAsync(home, email, Threshold);
        await GuessAsync(office, email, Threshold);

        string token;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
            token = await users.GeneratePasswordResetTokenAsync((await users.FindByIdAsync(user.Id.ToString()))!);
        }

        const string newPassword = "a freshly reset passphrase 12";
        Assert.Equal(HttpStatusCode.NoContent, (await home.PostAsJsonAsync("/auth/password/reset", new { email, token, newPassword })).StatusCode);

        await home.LoginAsync(email, newPassword);
        await office.LoginAsync(email, newPassword);
    }

    [Fact]
    public async Task Reactivation_lifts_every_networks_lock()
    {
        var email = IdentityClient.NewEmail();
        var user = await app.CreateClient().SignUpAsync(email);
        using var home = app.CreateClientFrom("203.0.113.40");
        using var operatorDesk = app.CreateClientFrom("192.0.2.140");
        await GuessAsync(home, email, Threshold);
        var admin = (await operatorDesk.LoginAdminAsync()).AccessToken;

        Assert.Equal(HttpStatusCode.NoContent, (await operatorDesk.SendAsync(HttpMethod.Post, $"/admin/users/{user.Id}/deactivate", admin)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await operatorDesk.SendAsync(HttpMethod.Post, $"/admin/users/{user.Id}/reactivate", admin)).StatusCode);

        await home.LoginAsync(email);
    }

    [Fact]
    public async Task A_failure_deletes_counts_whose_last_failure_and_lock_are_a_day_old()
    {
        var stale = await app.CreateClient().SignUpAsync(IdentityClient.NewEmail());
        var recent = await app.CreateClient().SignUpAsync(IdentityClient.NewEmail());
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
            var now = DateTimeOffset.UtcNow;
            db.LoginThrottles.AddRange(
                new LoginThrottle { UserId = stale.Id, Network = "192.0.2.0/24", Failures = 3, LastFailureAt = now.AddDays(-2) },
                new LoginThrottle { UserId = stale.Id, Network = "198.51.100.0/24", Failures = 0, LastFailureAt = now.AddDays(-2), LockedUntil = now.AddDays(-2).AddMinutes(5) },
                new LoginThrottle { UserId = recent.Id, Network = "192.0.2.0/24", Failures = 3, LastFailureAt = now.AddHours(-1) });
            await db.SaveChangesAsync();
        }

        using var anyone = app.CreateClientFrom("203.0.113.50");
        await GuessAsync(anyone, recent.Email, 1);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
            Assert.Empty(await db.LoginThrottles.Where(t => t.UserId == stale.Id).ToListAsync());
            Assert.Equal(2, await db.LoginThrottles.CountAsync(t => t.UserId == recent.Id));
        }
    }

    private static async Task GuessAsync(HttpClient client, string email, int count)
    {
        for (var i = 0; i < count; i++)
            await (await client.PostAsJsonAsync("/auth/login", new { email, password = $"wrong guess {i}" })).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    private static string WithoutTraceId(string body) => System.Text.RegularExpressions.Regex.Replace(body, "\"traceId\":\"[^\"]*\"", "");
}
