using System.Net.Sockets;
using static Platform.EndToEnd.Tests.Scenarios.ScenarioSupport;

namespace Platform.EndToEnd.Tests.Attacks;

/// <summary>
/// Login throttling, on a stack of its own whose Identity allows few attempts (the shared one allows 1000 a minute).
/// The attempts go through the front, round-robin over two Identity instances: the limit holds for the service, not
/// per instance.
/// </summary>
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
        // The front sets X-Forwarded-For to the address that connected, so a client cannot leave its bucket by claiming another.
        using var http = new HttpClient { BaseAddress = stack.IdentityUrl };
        using var spoofed = await LoginFromAsync(http, "203.0.113.7", email);
        table.Expect("attempt claiming X-Forwarded-For: 203.0.113.7", HttpStatusCode.TooManyRequests, spoofed.StatusCode);
        table.PrintAndAssert(output);
    }

    [SkippableFact]
    public async Task Behind_the_front_each_client_has_a_bucket_of_its_own_that_it_cannot_leave()
    {
        await using var stack = await PlatformStack.StartOwnAsync(new StackOptions
        {
            IdentitySettings = new Dictionary<string, string>
            {
                ["Identity__RateLimit__PasswordPermitLimit"] = "2",
                ["Identity__RateLimit__Window"] = "00:01:00",
            },
        });
        // Two clients: the whole of 127.0.0.0/8 is loopback, so each connects to the front from an address of its own.
        using var first = ClientFrom("127.0.0.2", stack.IdentityUrl);
        using var second = ClientFrom("127.0.0.3", stack.IdentityUrl);
        var table = new AttackTable("rate limit behind the front");
        var (email, _) = NewUser("proxied");
        for (var i = 1; i <= 2; i++)
        {
            using var attempt = await LoginFromAsync(first, "198.51.100.1", email);
            table.Expect($"client 127.0.0.2, attempt {i} of 2", HttpStatusCode.Unauthorized, attempt.StatusCode);
        }

        using var over = await LoginFromAsync(first, "198.51.100.2", email);
        table.Expect("client 127.0.0.2, attempt 3, claiming X-Forwarded-For: 198.51.100.2", HttpStatusCode.TooManyRequests, over.StatusCode);
        using var other = await LoginFromAsync(second, "198.51.100.1", email);
        table.Expect("client 127.0.0.3, attempt 1", HttpStatusCode.Unauthorized, other.StatusCode);
        // The front replaces what a client sends; a chain naming someone else moves nobody to another bucket.
        using var chained = await LoginFromAsync(first, "203.0.113.9, 198.51.100.3", email);
        table.Expect("client 127.0.0.2 behind a forged chain", HttpStatusCode.TooManyRequests, chained.StatusCode);
        table.PrintAndAssert(output);
    }

    /// <summary>A client whose connections come from <paramref name="localAddress"/>.</summary>
    private static HttpClient ClientFrom(string localAddress, Uri baseAddress) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(IPAddress.Parse(localAddress), 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    })
    {
        BaseAddress = baseAddress,
    };

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
