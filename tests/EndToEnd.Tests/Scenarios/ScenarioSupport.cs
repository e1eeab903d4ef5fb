namespace Platform.EndToEnd.Tests.Scenarios;

public static class ScenarioSupport
{
    /// <summary>The contract's promise: a revocation reaches every Orders instance well inside this.</summary>
    public static readonly TimeSpan PropagationLimit = TimeSpan.FromSeconds(2);

    /// <summary>The contract's promise once a broker or Identity that was down is back: held events arrive within this.</summary>
    public static readonly TimeSpan RecoveryLimit = TimeSpan.FromSeconds(30);

    public static (string Email, string Password) NewUser(string label) =>
        ($"{label}-{Guid.NewGuid():N}@e2e.test", $"Correct-Horse-{Guid.NewGuid():N}");

    /// <summary>
    /// Polls Orders with the token until it is rejected, and returns how long that took. Fails when it is still
    /// accepted after the limit, or when Orders answers anything but 200 or 401 meanwhile.
    /// </summary>
    public static async Task<TimeSpan> WaitUntilRejectedAsync(OrdersClient orders, string accessToken, string what, TimeSpan? limit = null)
    {
        var bound = limit ?? PropagationLimit;
        return await Eventually.HoldsAsync(async () =>
        {
            var status = await orders.StatusForAsync(accessToken);
            Assert.True(status is HttpStatusCode.OK or HttpStatusCode.Unauthorized,
                $"{what}: Orders answered {(int)status} while the token should have been accepted or rejected.");
            return status == HttpStatusCode.Unauthorized;
        }, $"{what}: Orders to reject the token", bound, TimeSpan.FromMilliseconds(10));
    }

    /// <summary>
    /// Waits until a token issued now is certainly newer than a deactivation that ended at <paramref name="after"/>:
    /// `iat` is in whole seconds and the deny-list compares it with the deactivation time rounded up to the second,
    /// so a login within the same second would rightly still be refused.
    /// </summary>
    public static async Task WaitForNextWholeSecondAfterAsync(DateTimeOffset after)
    {
        var roundedUp = DateTimeOffset.FromUnixTimeSeconds(after.ToUnixTimeSeconds() + 1);
        var safe = roundedUp.AddSeconds(1).AddMilliseconds(50);
        var wait = safe - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero)
            await Task.Delay(wait);
    }

    public static async Task<(Guid UserId, string Token)> SignedInUserAsync(IdentityClient identity, string label)
    {
        var (email, password) = NewUser(label);
        var user = await identity.SignUpAsync(email, password);
        return (user.Id, (await identity.LoginAsync(email, password)).AccessToken);
    }

    public static async Task<string> OperatorTokenAsync(this PlatformStack stack, IdentityClient identity) =>
        (await identity.LoginOperatorAsync(stack.OperatorEmail, stack.OperatorPassword)).AccessToken;

    /// <summary>A client for every Orders instance at its current address; dispose them with <see cref="DisposeAll"/>.</summary>
    public static async Task<List<OrdersClient>> OrdersReplicasAsync(this PlatformStack stack) =>
        (await stack.CurrentOrdersUrlsAsync()).Select(url => stack.CreateOrdersClient(url)).ToList();

    public static void DisposeAll(this IEnumerable<OrdersClient> clients)
    {
        foreach (var client in clients)
            client.Dispose();
    }

    /// <summary>One summary line per scenario, to the test's own output and to the console of the run.</summary>
    public static void Summary(ITestOutputHelper output, string line)
    {
        output.WriteLine(line);
        Console.WriteLine("[e2e] " + line);
    }
}
