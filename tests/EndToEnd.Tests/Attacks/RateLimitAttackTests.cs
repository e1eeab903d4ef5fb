using static Platform.EndToEnd.Tests.Scenarios.ScenarioSupport;

namespace Platform.EndToEnd.Tests.Attacks;

/// <summary>Login throttling, on a stack of its own whose Identity allows few attempts (the shared one allows 1000 a minute).</summary>
[Collection(FaultStackCollection.Name)]
public sealed class RateLimitAttackTests(ITestOutputHelper output)
{
    private const int PermitLimit = 5;

    [SkippableFact]
    public async Task Logins_beyond_the_rate_limit_get_429_with_Retry_After()
    {
        await using var stack = await PlatformStack.StartOwnAsync(new StackOptions
        {
            IdentitySettings = new Dictionary<string, string>
            {
                ["Identity__RateLimit__PasswordPermitLimit"] = PermitLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Identity__RateLimit__Window"] = "00:01:00",
            },
        });
        using var identity = stack.CreateIdentityClient();
        var table = new AttackTable("login rate limit");
        var (email, _) = NewUser("throttled");
        for (var i = 0; i < PermitLimit; i++)
        {
            using var attempt = await identity.TryLoginAsync(email, "Wrong-password-" + i);
            table.Expect($"login attempt {i + 1} of {PermitLimit}", HttpStatusCode.Unauthorized, attempt.StatusCode);
        }

        using var over = await identity.TryLoginAsync(email, "Wrong-password-over");
        table.Expect($"login attempt {PermitLimit + 1}", HttpStatusCode.TooManyRequests, over.StatusCode);
        var retryAfter = over.Headers.RetryAfter?.Delta;
        table.Add("429 carries Retry-After", "1..60 s", retryAfter is null ? "absent" : $"{retryAfter.Value.TotalSeconds:0} s",
            retryAfter is { } delta && delta > TimeSpan.Zero && delta <= TimeSpan.FromMinutes(1));
        // No proxy is trusted here, so a client cannot leave its bucket by claiming another address.
        using var http = new HttpClient { BaseAddress = stack.IdentityUrl };
        using var spoofed = await LoginFromAsync(http, "203.0.113.7", email);
        table.Expect("attempt claiming X-Forwarded-For: 203.0.113.7", HttpStatusCode.TooManyRequests, spoofed.StatusCode);
        table.PrintAndAssert(output);
    }

    [SkippableFact]
    public async Task Behind_a_trusted_proxy_each_forwarded_client_has_a_bucket_of_its_own()
    {
        await using var stack = await PlatformStack.StartOwnAsync(new StackOptions
        {
            IdentitySettings = new Dictionary<string, string>
            {
                ["Identity__RateLimit__PasswordPermitLimit"] = "2",
                ["Identity__RateLimit__Window"] = "00:01:00",
                // The suite reaches Identity over loopback, so loopback plays the proxy.
                ["Identity__RateLimit__TrustedProxies__0"] = "127.0.0.1",
            },
        });
        using var http = new HttpClient { BaseAddress = stack.IdentityUrl };
        var table = new AttackTable("rate limit behind a trusted proxy");
        var (email, _) = NewUser("proxied");
        for (var i = 1; i <= 2; i++)
        {
            using var attempt = await LoginFromAsync(http, "198.51.100.1", email);
            table.Expect($"client 198.51.100.1, attempt {i} of 2", HttpStatusCode.Unauthorized, attempt.StatusCode);
        }

        using var over = await LoginFromAsync(http, "198.51.100.1", email);
        table.Expect("client 198.51.100.1, attempt 3", HttpStatusCode.TooManyRequests, over.StatusCode);
        using var other = await LoginFromAsync(http, "198.51.100.2", email);
        table.Expect("client 198.51.100.2, attempt 1", HttpStatusCode.Unauthorized, other.StatusCode);
        // A client that prepends its own entry only moves left of what the proxy appended; the proxy's entry counts.
        using var chained = await LoginFromAsync(http, "203.0.113.9, 198.51.100.1", email);
        table.Expect("client 198.51.100.1 behind a forged first entry", HttpStatusCode.TooManyRequests, chained.StatusCode);
        table.PrintAndAssert(output);
    }

    private static async Task<HttpResponseMessage> LoginFromAsync(HttpClient http, string forwardedFor, string email)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "auth/login")
        {
            Content = JsonContent.Create(new { email, password = "Wrong-password-forwarded" }),
        };
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", forwardedFor);
        return await http.SendAsync(request);
    }
}
