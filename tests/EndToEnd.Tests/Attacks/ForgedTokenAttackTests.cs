using static Platform.EndToEnd.Tests.Scenarios.ScenarioSupport;

namespace Platform.EndToEnd.Tests.Attacks;

/// <summary>
/// Tokens an attacker builds from a genuine one and the public JWKS, sent to Orders and to Identity's own
/// protected routes over real HTTP. Every row must be a 401; none may be accepted or crash a service.
/// </summary>
[Collection(PlatformStackCollection.Name)]
public sealed class ForgedTokenAttackTests(PlatformStack stack, ITestOutputHelper output)
{
    [SkippableFact]
    public async Task Forged_and_malformed_tokens_are_refused_by_Orders_and_Identity_and_header_urls_are_never_fetched()
    {
        await stack.SkipUnlessServedAsync(ContractRoute.SignUp, ContractRoute.Login, ContractRoute.ListOrders);
        using var identity = stack.CreateIdentityClient();
        using var orders = stack.CreateOrdersClient();
        var (email, password) = NewUser("forger");
        await identity.SignUpAsync(email, password);
        var login = await identity.LoginAsync(email, password);
        var genuine = login.AccessToken;
        var jwk = await PublishedKeyAsync(identity, TokenParts.KidOf(genuine));
        using var published = Forge.PublicKey(jwk);
        await using var attacker = await AttackerListener.StartAsync();
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var cert = new System.Security.Cryptography.X509Certificates.CertificateRequest(
            "CN=attacker", attacker.Key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var attackerRs256 = Forge.Rsa(attacker.Key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

        var forged = new List<(string Name, string Token)>
        {
            ("alg none, no signature", Forge.Token(genuine, (h, _) => h["alg"] = "none", _ => [])),
            ("alg NONE, no signature", Forge.Token(genuine, (h, _) => h["alg"] = "NONE", _ => [])),
            ("alg nOnE, admin role", Forge.Token(genuine, (h, c) => { h["alg"] = "nOnE"; c["role"] = new JsonArray("admin"); }, _ => [])),
            ("HS256 keyed with JWKS n bytes", Forge.Token(genuine, (h, _) => h["alg"] = "HS256", Forge.Hmac256(published.ExportParameters(false).Modulus!))),
            ("HS256 keyed with the JWK JSON", Forge.Token(genuine, (h, _) => h["alg"] = "HS256", Forge.Hmac256(Encoding.UTF8.GetBytes(jwk.ToJsonString())))),
            ("HS256 keyed with the public PEM", Forge.Token(genuine, (h, _) => h["alg"] = "HS256", Forge.Hmac256(Encoding.ASCII.GetBytes(published.ExportSubjectPublicKeyInfoPem())))),
            ("HS256 keyed with the public DER", Forge.Token(genuine, (h, _) => h["alg"] = "HS256", Forge.Hmac256(published.ExportSubjectPublicKeyInfo()))),
            ("HS256 with an empty key", Forge.Token(genuine, (h, _) => h["alg"] = "HS256", Forge.Hmac256([]))),
            ("RS384 attacker key", Forge.Token(genuine, (h, _) => h["alg"] = "RS384", Forge.Rsa(attacker.Key, HashAlgorithmName.SHA384, RSASignaturePadding.Pkcs1))),
            ("PS256 attacker key", Forge.Token(genuine, (h, _) => h["alg"] = "PS256", Forge.Rsa(attacker.Key, HashAlgorithmName.SHA256, RSASignaturePadding.Pss))),
            ("ES256 attacker key", Forge.Token(genuine, (h, _) => h["alg"] = "ES256", data => ec.SignData(data, HashAlgorithmName.SHA256))),
            ("jku to attacker JWKS", Forge.Token(genuine, (h, _) => { h["kid"] = attacker.Kid; h["jku"] = attacker.Url; }, attackerRs256)),
            ("x5u to attacker URL", Forge.Token(genuine, (h, _) => { h["kid"] = attacker.Kid; h["x5u"] = attacker.Url; }, attackerRs256)),
            ("jwk header attacker key", Forge.Token(genuine, (h, _) => h["jwk"] = Forge.AttackerJwk(attacker.Key, (string)h["kid"]!), attackerRs256)),
            ("x5c attacker certificate", Forge.Token(genuine, (h, _) => h["x5c"] = new JsonArray(Convert.ToBase64String(cert.RawData)), attackerRs256)),
            ("random kid attacker key", Forge.Token(genuine, (h, _) => h["kid"] = Guid.NewGuid().ToString("N"), attackerRs256)),
            ("typ JWT", Forge.Token(genuine, (h, _) => h["typ"] = "JWT")),
            ("crit extension", Forge.Token(genuine, (h, _) => h["crit"] = new JsonArray("exp"))),
            ("admin role added", Forge.Token(genuine, (_, c) => c["role"] = new JsonArray("admin"))),
            ("sub swapped", Forge.Token(genuine, (_, c) => c["sub"] = Guid.NewGuid().ToString())),
            ("exp as a string", Forge.Token(genuine, (_, c) => c["exp"] = "9999999999")),
            ("duplicate sub", DuplicateSub(genuine)),
            ("signature stripped", string.Join('.', genuine.Split('.')[..2]) + "."),
            ("oversized 16 KB token", Forge.Token(genuine, (_, c) => c["pad"] = new string('x', 12_000))),
            ("refresh token as bearer", login.RefreshToken),
            ("three dots", "..."),
            ("garbage", "not-a-token"),
            ("JSON array header", Forge.Encode("[\"RS256\"]") + "." + genuine.Split('.')[1] + "." + genuine.Split('.')[2]),
            ("deeply nested payload", genuine.Split('.')[0] + "." + Forge.Encode(new string('[', 5000) + new string(']', 5000)) + "." + genuine.Split('.')[2]),
            ("padded base64url", string.Join('.', genuine.Split('.').Select(p => p + new string('=', (4 - (p.Length % 4)) % 4)))),
        };

        var table = new AttackTable("forged tokens (Orders GET /orders, Identity GET /users/me and /admin/users)");
        table.Expect("control: genuine token on Orders", HttpStatusCode.OK, await StatusAsync(orders, "orders", genuine));
        table.Expect("control: genuine token on Identity /users/me", HttpStatusCode.OK, await StatusAsync(identity, "users/me", genuine));
        foreach (var (name, token) in forged)
        {
            table.Expect($"{name} -> Orders", HttpStatusCode.Unauthorized, await StatusAsync(orders, "orders", token));
            table.Expect($"{name} -> Identity /users/me", HttpStatusCode.Unauthorized, await StatusAsync(identity, "users/me", token));
            table.Expect($"{name} -> Identity /admin/users", HttpStatusCode.Unauthorized, await StatusAsync(identity, "admin/users", token));
        }

        // Kestrel itself refuses header bytes that are not UTF-8 with 400 before any service code runs; both are refusals.
        table.ExpectAny("non-UTF-8 bytes in Authorization -> Orders",
            await RawAuthorizationStatusAsync(stack.OrdersUrl, "orders", "Bearer \u00ff\u00fe\u00c3(.\u00e9.x"), HttpStatusCode.Unauthorized, HttpStatusCode.BadRequest);
        table.ExpectAny("non-UTF-8 bytes in Authorization -> Identity",
            await RawAuthorizationStatusAsync(stack.IdentityUrl, "users/me", "Bearer \u00ff\u00fe\u00c3(.\u00e9.x"), HttpStatusCode.Unauthorized, HttpStatusCode.BadRequest);
        table.Add("attacker URL (jku/x5u) fetched", "0 requests", $"{attacker.Requests} requests", attacker.Requests == 0);
        table.PrintAndAssert(output);
    }

    private static async Task<HttpStatusCode> StatusAsync(ApiClient client, string path, string token)
    {
        using var response = await client.SendAsync(HttpMethod.Get, path, token);
        return response.StatusCode;
    }

    /// <summary>Header bytes beyond ASCII go out as Latin-1, i.e. bytes that are not valid UTF-8.</summary>
    internal static async Task<HttpStatusCode> RawAuthorizationStatusAsync(Uri baseAddress, string path, string authorization)
    {
        using var handler = new SocketsHttpHandler { RequestHeaderEncodingSelector = (_, _) => Encoding.Latin1 };
        using var client = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(15) };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    private static string DuplicateSub(string genuine)
    {
        var claims = Forge.Claims(genuine).ToJsonString();
        return genuine.Split('.')[0] + "." + Forge.Encode(claims[..^1] + $",\"sub\":\"{Guid.NewGuid()}\"}}") + "." + genuine.Split('.')[2];
    }

    private static async Task<JsonObject> PublishedKeyAsync(IdentityClient identity, string kid)
    {
        using var response = await identity.SendAsync(HttpMethod.Get, ".well-known/jwks.json");
        var jwks = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        return jwks["keys"]!.AsArray().Select(k => k!.AsObject()).Single(k => (string?)k["kid"] == kid);
    }
}
