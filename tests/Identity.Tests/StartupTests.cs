namespace Platform.Identity.Tests;

public sealed class StartupTests(StrictApp app) : IClassFixture<StrictApp>
{
    [Fact]
    public async Task Login_beyond_the_rate_limit_answers_429_with_retry_after()
    {
        var client = app.CreateClient();
        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < 4; i++)
            responses.Add(await client.PostAsJsonAsync("/auth/login", new { email = "nobody@example.test", password = "whatever password" }));

        // Another test of this fixture may have used part of the window (3 per address and endpoint).
        Assert.Equal(HttpStatusCode.Unauthorized, responses[0].StatusCode);
        await responses[3].AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.True(responses[3].Headers.RetryAfter?.Delta > TimeSpan.Zero);
    }

    [Fact]
    public async Task Without_a_configured_password_the_bootstrap_operator_password_is_written_to_the_data_directory()
    {
        var file = Path.Combine(app.DataDirectory, "bootstrap-admin-password");

        var password = (await File.ReadAllTextAsync(file)).Trim();

        Assert.True(password.Length >= 32);
        var client = app.CreateClient();
        var tokens = await client.LoginAsync(IdentityApp.AdminEmail, password);
        Assert.Equal("admin", Jwks.Read(tokens.AccessToken).GetClaim("role").Value);
    }

    [Fact]
    public async Task Liveness_and_readiness_answer_200_with_a_reachable_database()
    {
        var client = app.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public void Production_without_a_key_encryption_key_refuses_to_start_with_a_clear_message()
    {
        using var production = app.WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Production");
            builder.UseSetting("Identity:KeyEncryptionKey", "");
        });

        var error = Assert.ThrowsAny<Exception>(() => production.Server);

        Assert.Contains("KeyEncryptionKey", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_encryption_key_that_does_not_open_the_stored_signing_keys_refuses_to_start_with_a_clear_message()
    {
        // The fixture already started on this database, so a signing key encrypted with its key is stored.
        using var wrongKey = app.WithWebHostBuilder(builder =>
            builder.UseSetting("Identity:KeyEncryptionKey", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))));

        var error = Assert.ThrowsAny<Exception>(() => wrongKey.Server);

        Assert.Contains("is not the key-encryption key the signing keys were encrypted with", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("proxy.internal")]
    [InlineData("10.0.0.0/33")]
    public void A_trusted_proxy_that_is_not_an_address_or_network_refuses_to_start_with_a_clear_message(string proxy)
    {
        using var misconfigured = app.WithWebHostBuilder(builder => builder.UseSetting("Identity:RateLimit:TrustedProxies:0", proxy));

        var error = Assert.ThrowsAny<Exception>(() => misconfigured.Server);

        Assert.Contains("Identity:RateLimit:TrustedProxies must hold IP addresses or CIDR networks", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1001")]
    public void An_outbox_attempt_limit_out_of_range_refuses_to_start_with_a_clear_message(string attempts)
    {
        using var misconfigured = app.WithWebHostBuilder(builder => builder.UseSetting("Identity:Outbox:MaxAttempts", attempts));

        var error = Assert.ThrowsAny<Exception>(() => misconfigured.Server);

        Assert.Contains("Identity:Outbox:MaxAttempts must be between 1 and 1000", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("00:00:01")]
    [InlineData("365.00:00:00")]
    public void A_receipt_retention_out_of_range_refuses_to_start_with_a_clear_message(string retention)
    {
        using var misconfigured = app.WithWebHostBuilder(builder => builder.UseSetting("Identity:Receipts:Retention", retention));

        var error = Assert.ThrowsAny<Exception>(() => misconfigured.Server);

        Assert.Contains("Identity:Receipts:Retention (Identity__Receipts__Retention) must be between", error.ToString(), StringComparison.Ordinal);
    }
}
