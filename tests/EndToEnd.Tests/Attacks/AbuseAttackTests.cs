using static Platform.EndToEnd.Tests.Scenarios.ScenarioSupport;

namespace Platform.EndToEnd.Tests.Attacks;

/// <summary>Hostile bodies, other users' resources, privilege smuggled into sign-up, odd route ids and response headers.</summary>
[Collection(PlatformStackCollection.Name)]
public sealed class AbuseAttackTests(PlatformStack stack, ITestOutputHelper output)
{
    [SkippableFact]
    public async Task Hostile_bodies_other_users_resources_mass_assignment_and_odd_ids_get_4xx_never_5xx_or_access()
    {
        await stack.SkipUnlessServedAsync(ContractRoute.SignUp, ContractRoute.Login, ContractRoute.PlaceOrder, ContractRoute.GetOrder);
        using var identity = stack.CreateIdentityClient();
        using var orders = stack.CreateOrdersClient();
        var (aliceEmail, alicePassword) = NewUser("alice");
        await identity.SignUpAsync(aliceEmail, alicePassword);
        var alice = (await identity.LoginAsync(aliceEmail, alicePassword)).AccessToken;
        var (bobEmail, bobPassword) = NewUser("bob");
        await identity.SignUpAsync(bobEmail, bobPassword);
        var bob = (await identity.LoginAsync(bobEmail, bobPassword)).AccessToken;
        var aliceOrder = await orders.PlaceAsync(alice);
        var table = new AttackTable("abuse: bodies, IDOR, mass assignment, route ids, headers");

        var nested = new string('[', 20_000) + new string(']', 20_000);
        // Under Identity's 16 KB body limit, yet far past the JSON reader's depth limit: the parser itself must refuse it.
        var deep = new string('[', 2_000) + new string(']', 2_000);
        var huge = "{\"items\":[" + string.Join(',', Enumerable.Repeat("{\"sku\":\"A\",\"quantity\":1,\"unitPrice\":1}", 30_000)) + "]}";
        table.ExpectAny("Orders POST /orders 1 MB body", await PostRawAsync(stack.OrdersUrl, "orders", huge, alice),
            HttpStatusCode.RequestEntityTooLarge, HttpStatusCode.BadRequest);
        table.ExpectAny("Orders POST /orders nested JSON depth 20000", await PostRawAsync(stack.OrdersUrl, "orders", nested, alice),
            HttpStatusCode.BadRequest);
        table.ExpectAny("Orders POST /orders JSON array body", await PostRawAsync(stack.OrdersUrl, "orders", "[1,2,3]", alice),
            HttpStatusCode.BadRequest);
        table.ExpectAny("Identity POST /users 1 MB body", await PostRawAsync(stack.IdentityUrl, "users", huge, null),
            HttpStatusCode.RequestEntityTooLarge, HttpStatusCode.BadRequest);
        table.ExpectAny("Identity POST /users nested JSON depth 20000", await PostRawAsync(stack.IdentityUrl, "users", nested, null),
            HttpStatusCode.RequestEntityTooLarge);
        table.ExpectAny("Identity POST /users nested JSON depth 2000", await PostRawAsync(stack.IdentityUrl, "users", deep, null),
            HttpStatusCode.BadRequest);
        table.ExpectAny("Identity POST /auth/login nested JSON", await PostRawAsync(stack.IdentityUrl, "auth/login", "{\"email\":" + deep + "}", null),
            HttpStatusCode.BadRequest);
        table.ExpectAny("Identity POST /auth/login 1 MB password", await PostRawAsync(stack.IdentityUrl, "auth/login",
            $"{{\"email\":\"{aliceEmail}\",\"password\":\"{new string('p', 1_000_000)}\"}}", null),
            HttpStatusCode.BadRequest, HttpStatusCode.RequestEntityTooLarge, HttpStatusCode.Unauthorized);

        table.Expect("IDOR: Bob GET Alice's order", HttpStatusCode.NotFound, await StatusAsync(orders, HttpMethod.Get, $"orders/{aliceOrder.Id}", bob));
        table.Expect("IDOR: Bob cancels Alice's order", HttpStatusCode.NotFound, await StatusAsync(orders, HttpMethod.Post, $"orders/{aliceOrder.Id}/cancel", bob));
        table.Expect("IDOR: Alice's order still placed", HttpStatusCode.OK, await StatusAsync(orders, HttpMethod.Get, $"orders/{aliceOrder.Id}", alice));
        table.Expect("non-admin GET /admin/users", HttpStatusCode.Forbidden, await StatusAsync(identity, HttpMethod.Get, "admin/users", bob));
        table.Expect("non-admin POST /admin/keys/rotate", HttpStatusCode.Forbidden, await StatusAsync(identity, HttpMethod.Post, "admin/keys/rotate", bob));
        table.Expect("non-admin deactivates Alice", HttpStatusCode.Forbidden,
            await StatusAsync(identity, HttpMethod.Post, $"admin/users/{Guid.NewGuid()}/deactivate", bob));

        var (massEmail, massPassword) = NewUser("mass");
        using (var signUp = await identity.SendAsync(HttpMethod.Post, "users", body: new
        {
            email = massEmail, password = massPassword, roles = new[] { "admin" }, role = "admin", isAdmin = true,
            emailConfirmed = true, id = Guid.Empty,
        }))
        {
            table.Expect("mass assignment sign-up (roles, role, isAdmin, emailConfirmed, id)", HttpStatusCode.Created, signUp.StatusCode);
            var created = await signUp.Content.ReadFromJsonAsync<JsonObject>();
            table.Add("mass assignment: id not taken from the body", "not 0000…", (string?)created?["id"] ?? "none",
                created?["id"] is not null && (string?)created["id"] != Guid.Empty.ToString());
        }

        var massToken = (await identity.LoginAsync(massEmail, massPassword)).AccessToken;
        using (var me = await identity.SendAsync(HttpMethod.Get, "users/me", massToken))
        {
            var roles = (await me.Content.ReadFromJsonAsync<JsonObject>())?["roles"]?.ToJsonString() ?? "none";
            table.Add("mass assignment: /users/me roles", "no admin", roles, me.StatusCode == HttpStatusCode.OK && !roles.Contains("admin", StringComparison.OrdinalIgnoreCase));
        }

        table.Add("mass assignment: token role claim", "no admin", Forge.Claims(massToken)["role"]?.ToJsonString() ?? "none",
            !(Forge.Claims(massToken)["role"]?.ToJsonString() ?? "").Contains("admin", StringComparison.Ordinal));
        table.Expect("mass assignment: /admin/users with that token", HttpStatusCode.Forbidden, await StatusAsync(identity, HttpMethod.Get, "admin/users", massToken));

        var operatorToken = (await identity.LoginOperatorAsync(stack.OperatorEmail, stack.OperatorPassword)).AccessToken;
        foreach (var id in new[] { "not-a-guid", "1", "%00", new string('9', 300), "..%2f..%2fetc" })
        {
            table.ExpectAny($"Orders GET /orders/{Short(id)}", await StatusAsync(orders, HttpMethod.Get, $"orders/{id}", alice), HttpStatusCode.BadRequest, HttpStatusCode.NotFound);
            table.ExpectAny($"Identity GET /admin/users/{Short(id)}", await StatusAsync(identity, HttpMethod.Get, $"admin/users/{id}", operatorToken), HttpStatusCode.BadRequest, HttpStatusCode.NotFound);
        }

        table.ExpectAny("Identity DELETE /admin/sessions/not-a-guid", await StatusAsync(identity, HttpMethod.Delete, "admin/sessions/not-a-guid", operatorToken),
            HttpStatusCode.BadRequest, HttpStatusCode.NotFound);
        table.ExpectAny("Orders POST /orders/not-a-guid/cancel", await StatusAsync(orders, HttpMethod.Post, "orders/not-a-guid/cancel", alice),
            HttpStatusCode.BadRequest, HttpStatusCode.NotFound);

        using (var headers = await orders.SendAsync(HttpMethod.Get, "orders", alice))
        {
            table.Add("Orders response: no Server header", "absent", string.Join(",", headers.Headers.Server), headers.Headers.Server.Count == 0);
            var nosniff = headers.Headers.TryGetValues("X-Content-Type-Options", out var values) ? string.Join(",", values) : "absent";
            table.Add("Orders response: X-Content-Type-Options", "nosniff", nosniff, nosniff == "nosniff");
            table.Add("Orders response: Cache-Control", "no-store", headers.Headers.CacheControl?.ToString() ?? "absent", headers.Headers.CacheControl?.NoStore == true);
        }

        table.PrintAndAssert(output);
    }

    [SkippableFact]
    public async Task A_hundred_random_authorization_headers_never_make_a_service_answer_5xx()
    {
        stack.EnsureStarted();
        var random = new Random(9068);
        var table = new AttackTable("random Authorization headers");
        var orders5xx = 0;
        var identity5xx = 0;
        var not4xx = 0;
        for (var i = 0; i < 100; i++)
        {
            var bytes = new byte[random.Next(1, 3000)];
            random.NextBytes(bytes);
            // Any byte a header may carry (RFC 9110 §5.5: visible ASCII and obs-text), so the request reaches the service.
            var value = "Bearer " + new string(bytes.Select(b => b is < 0x21 or 0x7F ? 'x' : (char)b).ToArray());
            var ordersStatus = await ForgedTokenAttackTests.RawAuthorizationStatusAsync(stack.OrdersUrl, "orders", value);
            var identityStatus = await ForgedTokenAttackTests.RawAuthorizationStatusAsync(stack.IdentityUrl, "users/me", value);
            orders5xx += (int)ordersStatus >= 500 ? 1 : 0;
            identity5xx += (int)identityStatus >= 500 ? 1 : 0;
            // 401 from the services, or 400 from Kestrel for bytes that are not UTF-8.
            not4xx += IsRefusal(ordersStatus) && IsRefusal(identityStatus) ? 0 : 1;
        }

        table.Add("100 random byte headers -> Orders 5xx", "0", $"{orders5xx}", orders5xx == 0);
        table.Add("100 random byte headers -> Identity 5xx", "0", $"{identity5xx}", identity5xx == 0);
        table.Add("100 random byte headers -> neither 400 nor 401", "0", $"{not4xx}", not4xx == 0);
        table.PrintAndAssert(output);
    }

    private static bool IsRefusal(HttpStatusCode status) => status is HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest;

    private static string Short(string id) => id.Length > 16 ? id[..12] + "…" : id;

    private static async Task<HttpStatusCode> StatusAsync(ApiClient client, HttpMethod method, string path, string token)
    {
        using var response = await client.SendAsync(method, path, token);
        return response.StatusCode;
    }

    private static async Task<HttpStatusCode> PostRawAsync(Uri baseAddress, string path, string json, string? token)
    {
        using var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        // The client waits for the server's verdict before uploading, so an early 413 is read instead of racing a reset.
        request.Headers.ExpectContinue = true;
        if (token is not null)
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        try
        {
            using var response = await client.SendAsync(request);
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            // Shown as 0 in the table: the connection dropped without any answer, which no row accepts.
            return 0;
        }
    }
}
