using static Platform.EndToEnd.Tests.Scenarios.ScenarioSupport;

namespace Platform.EndToEnd.Tests.Attacks;

/// <summary>Account enumeration, password guessing and a kid flood aimed at Identity's JWKS through Orders.</summary>
[Collection(PlatformStackCollection.Name)]
public sealed class CredentialAttackTests(PlatformStack stack, ITestOutputHelper output)
{
    private const int Attempts = 50;

    // Identity's configured lockout threshold (Lockout.MaxFailedAccessAttempts).
    private const int LockoutThreshold = 5;

    [SkippableFact]
    public async Task Login_and_forgot_password_answer_unknown_wrong_and_deactivated_alike_and_lock_out_guessers()
    {
        await stack.SkipUnlessServedAsync(ContractRoute.SignUp, ContractRoute.Login, ContractRoute.ForgotPassword, ContractRoute.Deactivate);
        using var identity = stack.CreateIdentityClient();
        var table = new AttackTable("enumeration and guessing on Identity");
        var (knownEmail, knownPassword) = NewUser("known");
        await identity.SignUpAsync(knownEmail, knownPassword);
        var (goneEmail, gonePassword) = NewUser("gone");
        var gone = await identity.SignUpAsync(goneEmail, gonePassword);
        var operatorToken = (await identity.LoginOperatorAsync(stack.OperatorEmail, stack.OperatorPassword)).AccessToken;
        await identity.DeactivateAsync(operatorToken, gone.Id, "enumeration attack test");

        var unknown = await TimeLoginsAsync(identity, () => ($"nobody-{Guid.NewGuid():N}@e2e.test", knownPassword));
        var wrong = await TimeLoginsAsync(identity, () => (knownEmail, "Wrong-" + Guid.NewGuid().ToString("N")));
        var deactivated = await TimeLoginsAsync(identity, () => (goneEmail, gonePassword));
        foreach (var (name, result) in new[] { ("wrong password", wrong), ("deactivated, right password", deactivated) })
        {
            table.Add($"login {name} vs unknown e-mail: status", unknown.Statuses, result.Statuses, result.Statuses == unknown.Statuses);
            table.Add($"login {name} vs unknown e-mail: body", "same", result.Bodies == unknown.Bodies ? "same" : "differs", result.Bodies == unknown.Bodies);
            var ratio = Math.Max(result.MedianMs, unknown.MedianMs) / Math.Max(1, Math.Min(result.MedianMs, unknown.MedianMs));
            table.Add($"login {name} vs unknown e-mail: median ratio ({result.MedianMs:0} vs {unknown.MedianMs:0} ms)", "<= 2", $"{ratio:0.00}", ratio <= 2);
        }

        using var knownForgot = await identity.SendAsync(HttpMethod.Post, "auth/password/forgot", body: new { email = knownEmail });
        using var unknownForgot = await identity.SendAsync(HttpMethod.Post, "auth/password/forgot", body: new { email = $"nobody-{Guid.NewGuid():N}@e2e.test" });
        table.Expect("forgot-password known e-mail", HttpStatusCode.Accepted, knownForgot.StatusCode);
        table.Expect("forgot-password unknown e-mail", HttpStatusCode.Accepted, unknownForgot.StatusCode);
        var sameForgotBody = await knownForgot.Content.ReadAsStringAsync() == await unknownForgot.Content.ReadAsStringAsync();
        table.Add("forgot-password known vs unknown: body", "same", sameForgotBody ? "same" : "differs", sameForgotBody);

        var (victimEmail, victimPassword) = NewUser("guessed");
        await identity.SignUpAsync(victimEmail, victimPassword);
        for (var i = 0; i < LockoutThreshold; i++)
        {
            using var guess = await identity.TryLoginAsync(victimEmail, "Guess-" + i + Guid.NewGuid().ToString("N"));
            table.Expect($"password guess {i + 1}", HttpStatusCode.Unauthorized, guess.StatusCode);
        }

        using (var locked = await identity.TryLoginAsync(victimEmail, victimPassword))
            table.Expect($"right password after {LockoutThreshold} failures (locked out)", HttpStatusCode.Unauthorized, locked.StatusCode);
        table.PrintAndAssert(output);
    }

    [SkippableFact]
    public async Task Flood_of_random_kids_at_Orders_fetches_Identity_jwks_no_more_than_its_refresh_interval_allows()
    {
        await stack.SkipUnlessServedAsync(ContractRoute.ListOrders);
        stack.SkipUnlessLocal();
        using var orders = stack.CreateOrdersClient();
        using var identity = stack.CreateIdentityClient();
        var (email, password) = NewUser("kids");
        await identity.SignUpAsync(email, password);
        var genuine = (await identity.LoginAsync(email, password)).AccessToken;
        // Warm Orders' key cache first, so the count below is the flood's alone.
        Assert.Equal(HttpStatusCode.OK, await orders.StatusForAsync(genuine));
        using var attacker = RSA.Create(2048);
        var table = new AttackTable("kid flood against Orders");
        var before = JwksRequests();
        var clock = Stopwatch.StartNew();
        var accepted = 0;
        for (var i = 0; i < 200; i++)
        {
            var token = Forge.Token(genuine, (h, _) => h["kid"] = Guid.NewGuid().ToString("N"),
                Forge.Rsa(attacker, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
            accepted += await orders.StatusForAsync(token) == HttpStatusCode.Unauthorized ? 0 : 1;
        }

        await Task.Delay(500); // Lets a refresh that the flood started reach Identity's log before counting.
        var fetched = JwksRequests() - before;
        // Orders' RefreshInterval (30 s) allows one refresh per started interval, plus the periodic one (5 min).
        var allowed = 1 + (int)Math.Ceiling(clock.Elapsed.TotalSeconds / 30) + 1;
        table.Add("200 tokens with random kids -> Orders", "all 401", accepted == 0 ? "all 401" : $"{accepted} not 401", accepted == 0);
        table.Add($"Identity JWKS requests during the flood ({clock.Elapsed.TotalSeconds:0} s)", $"<= {allowed}", $"{fetched}", fetched <= allowed);
        // Control: a fetch the test makes itself must be counted, or a silent log would pass the bound above.
        using (await identity.SendAsync(HttpMethod.Get, ".well-known/jwks.json"))
            await Task.Delay(500);
        var counted = JwksRequests() - before - fetched;
        table.Add("control: the test's own JWKS fetch is counted", ">= 1", $"{counted}", counted >= 1);
        table.PrintAndAssert(output);
    }

    /// <summary>Identity logs each request path at Information (ServiceDefaults' request log), which is what is counted.</summary>
    private int JwksRequests() =>
        stack.Identity!.Output.Count(line => line.Contains("Request starting", StringComparison.Ordinal)
            && line.Contains("/.well-known/jwks.json", StringComparison.Ordinal));

    private static async Task<LoginSample> TimeLoginsAsync(IdentityClient identity, Func<(string Email, string Password)> next)
    {
        var times = new List<double>();
        var statuses = new HashSet<string>();
        var bodies = new HashSet<string>();
        for (var i = 0; i < Attempts; i++)
        {
            var (email, password) = next();
            var clock = Stopwatch.StartNew();
            using var response = await identity.TryLoginAsync(email, password);
            var body = await response.Content.ReadAsStringAsync();
            times.Add(clock.Elapsed.TotalMilliseconds);
            statuses.Add(AttackTable.Status(response.StatusCode));
            bodies.Add(WithoutTraceId(body));
        }

        times.Sort();
        return new LoginSample(times[times.Count / 2], string.Join(",", statuses.Order()), string.Join("\n", bodies.Order()));
    }

    // Problem details may carry a per-request traceId; everything else must match byte for byte.
    private static string WithoutTraceId(string body)
    {
        try
        {
            var json = JsonNode.Parse(body)?.AsObject();
            json?.Remove("traceId");
            return json?.ToJsonString() ?? body;
        }
        catch (System.Text.Json.JsonException)
        {
            return body;
        }
    }

    private sealed record LoginSample(double MedianMs, string Statuses, string Bodies);
}
