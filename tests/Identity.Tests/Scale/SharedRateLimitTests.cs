namespace Platform.Identity.Tests.Scale;

/// <summary>Identity with small limits on its password endpoints and a forgot-password limit that stays out of the way.</summary>
public sealed class SharedLimitsApp : IdentityApp
{
    protected override void Configure(IWebHostBuilder builder)
    {
        builder.UseSetting("Identity:RateLimit:PasswordPermitLimit", "3");
        builder.UseSetting("Identity:RateLimit:PermitLimit", "100");
        builder.UseSetting("Identity:RateLimit:Window", "00:10:00");
    }
}

/// <summary>
/// Two instances on one database count one client, and one address, together: behind a balancer that spreads a
/// client's requests over both, the client gets each limit once, not once per instance.
/// </summary>
public sealed class SharedRateLimitTests(SharedLimitsApp app) : IClassFixture<SharedLimitsApp>, IAsyncLifetime
{
    private readonly PeerIdentityApp _peer = new(app);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _peer.DisposeAsync();

    [Fact]
    public async Task The_password_limit_is_spent_across_both_instances_until_its_window_closes()
    {
        using var first = app.CreateClient();
        using var second = _peer.CreateClient();
        // An unknown account: 401 without counting towards any lockout.
        var login = new { email = IdentityClient.NewEmail(), password = "not the password at all" };

        var statuses = new List<HttpStatusCode>();
        foreach (var instance in new[] { first, second, first })
            statuses.Add((await instance.PostAsJsonAsync("/auth/login", login)).StatusCode);
        using var over = await second.PostAsJsonAsync("/auth/login", login);
        using var overAtFirst = await first.PostAsJsonAsync("/auth/login", login);

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized], statuses);
        Assert.Equal(HttpStatusCode.TooManyRequests, over.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, overAtFirst.StatusCode);
        var retryAfter = over.Headers.RetryAfter?.Delta;
        Assert.True(retryAfter is { } delta && delta > TimeSpan.Zero && delta <= TimeSpan.FromMinutes(10), $"Retry-After {retryAfter}");
        await over.AssertProblemAsync(HttpStatusCode.TooManyRequests);

        // Once the window has closed, the next attempt opens a new one.
        app.Time.Advance(retryAfter!.Value);
        Assert.Equal(HttpStatusCode.Unauthorized, (await second.PostAsJsonAsync("/auth/login", login)).StatusCode);
    }

    [Fact]
    public async Task The_reset_mail_cap_of_an_address_is_spent_across_both_instances()
    {
        using var first = app.CreateClient();
        using var second = _peer.CreateClient();
        var email = IdentityClient.NewEmail();
        var user = await first.SignUpAsync(email);

        for (var i = 0; i < 6; i++)
        {
            var instance = i % 2 == 0 ? first : second;
            Assert.Equal(HttpStatusCode.Accepted, (await instance.PostAsJsonAsync("/auth/password/forgot", new { email })).StatusCode);
        }

        await using var scope = app.Services.CreateAsyncScope();
        Assert.Equal(3, await scope.ServiceProvider.GetRequiredService<IdentityDb>().MailMessages.CountAsync(m => m.UserId == user.Id));
    }
}
