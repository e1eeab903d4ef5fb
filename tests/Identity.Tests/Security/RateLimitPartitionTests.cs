using Platform.Identity.Apis;

namespace Platform.Identity.Tests.Security;

/// <summary>
/// A client's requests to one endpoint share one count however the path is spelled, and an IPv6 client cannot
/// leave its count by changing addresses inside its /64.
/// </summary>
public sealed class RateLimitPartitionTests(StrictApp app) : IClassFixture<StrictApp>
{
    private readonly HttpClient _client = app.CreateClient();

    [Fact]
    public async Task Case_and_trailing_slash_spellings_of_login_share_the_limit_of_auth_login()
    {
        // An unknown account: the answers are 401 without counting towards any lockout.
        var login = new { email = IdentityClient.NewEmail(), password = "not the password at all" };
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await _client.PostAsJsonAsync("/auth/login", login)).StatusCode);

        var statuses = new List<HttpStatusCode>();
        foreach (var spelling in new[] { "/Auth/Login", "/AUTH/LOGIN", "/auth/login/" })
            statuses.Add((await _client.PostAsJsonAsync(spelling, login)).StatusCode);

        Assert.Equal([HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task Another_endpoint_with_the_same_limit_keeps_a_count_of_its_own()
    {
        // Sign-up only: the other test of this fixture spends login's count.
        var signUp = new { email = "not an address", password = "short" };
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.BadRequest, (await _client.PostAsJsonAsync("/users", signUp)).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await _client.PostAsJsonAsync("/USERS/", signUp)).StatusCode);

        var reset = await _client.PostAsJsonAsync("/auth/password/reset", new { token = "not a reset token", newPassword = "a brand new passphrase 77" });

        Assert.NotEqual(HttpStatusCode.TooManyRequests, reset.StatusCode);
    }

    [Theory]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2:ffff:eeee:dddd:cccc")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::1%3")]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7")]
    public void Addresses_of_one_client_network_share_a_partition(string one, string other) =>
        Assert.Equal(RateLimiting.ClientNetwork(IPAddress.Parse(one)), RateLimiting.ClientNetwork(IPAddress.Parse(other)));

    [Theory]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:3::1")]
    [InlineData("2001:db8:1:2::1", "2001:db9:1:2::1")]
    [InlineData("203.0.113.7", "203.0.113.8")]
    [InlineData("::ffff:203.0.113.7", "::ffff:203.0.113.8")]
    public void Addresses_of_different_client_networks_have_partitions_of_their_own(string one, string other) =>
        Assert.NotEqual(RateLimiting.ClientNetwork(IPAddress.Parse(one)), RateLimiting.ClientNetwork(IPAddress.Parse(other)));
}
