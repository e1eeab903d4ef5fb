using System.Net;
using Platform.EndToEnd.Tests.Stack;
using Xunit.Abstractions;
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
                ["Identity__RateLimit__PermitLimit"] = PermitLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
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
        table.PrintAndAssert(output);
    }
}
