using static Platform.ResourceServer.Tests.Security.HostileTokens;

namespace Platform.ResourceServer.Tests.Security;

/// <summary>No Authorization header, however broken, makes the API answer anything but a 401 problem.</summary>
[Collection(ResourceServerCollection.Name)]
public sealed class MalformedHeaderFuzzTests(ResourceServerFixture fixture)
{
    [Fact]
    public async Task Hundreds_of_malformed_bearer_tokens_are_all_401_invalid_token_and_never_5xx()
    {
        var random = new Random(6);
        using var client = fixture.App.CreateClient();
        var cases = Corpus(random).ToList();
        Assert.True(cases.Count >= 300, $"only {cases.Count} cases");
        var failures = new List<string>();
        foreach (var (name, token) in cases)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, ResourceServerApp.Path);
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
            using var response = await client.SendAsync(request);
            var challenge = response.Headers.WwwAuthenticate.ToString();
            // A token that is only whitespace is no token at all (RFC 6750 §3): a bare challenge is right there.
            var expectedChallenge = string.IsNullOrWhiteSpace(token) ? "Bearer" : "Bearer error=\"invalid_token\"";
            if (response.StatusCode != HttpStatusCode.Unauthorized || challenge != expectedChallenge)
                failures.Add($"{name}: {(int)response.StatusCode} {challenge}");
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures.Take(20)));
    }

    [Fact]
    public async Task Request_without_token_is_401_with_bare_bearer_challenge()
    {
        using var client = fixture.App.CreateClient();
        using var response = await client.GetAsync(ResourceServerApp.Path);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Bearer")]
    [InlineData("bearer")]
    [InlineData("Bearer  ")]
    [InlineData("Token abc.def.ghi")]
    public async Task Non_bearer_or_empty_schemes_are_401_with_a_bare_challenge(string authorization)
    {
        using var client = fixture.App.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, ResourceServerApp.Path);
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private IEnumerable<(string Name, string Token)> Corpus(Random random)
    {
        var valid = fixture.Issuer.Mint();
        var parts = valid.Split('.');
        yield return ("empty-parts", "..");
        yield return ("three-dots", "...");
        yield return ("only-dots", new string('.', 100));
        yield return ("header-only", parts[0]);
        yield return ("two-parts", parts[0] + "." + parts[1]);
        yield return ("no-signature", parts[0] + "." + parts[1] + ".");
        yield return ("json-array-header", B64("[1,2,3]") + "." + parts[1] + "." + parts[2]);
        yield return ("json-array-payload", parts[0] + "." + B64("[{\"sub\":\"x\"}]") + "." + parts[2]);
        yield return ("deep-header", B64(new string('{', 1) + "\"a\":" + new string('[', 2000) + new string(']', 2000) + "}") + "." + parts[1] + "." + parts[2]);
        yield return ("deep-objects", parts[0] + "." + B64(string.Concat(Enumerable.Repeat("{\"a\":", 300)) + "1" + new string('}', 300)) + "." + parts[2]);
        yield return ("huge-base64", Convert.ToBase64String(new byte[20_000]));
        yield return ("huge-segments", new string('A', 9000) + "." + new string('B', 9000) + "." + new string('C', 100));
        yield return ("latin1-bytes", "\u00ff\u00fe\u00e9." + parts[1] + "." + parts[2]);
        yield return ("control-chars", parts[0] + "\u0001." + parts[1] + "." + parts[2]);
        yield return ("null-json", B64("null") + "." + B64("null") + "." + parts[2]);
        yield return ("numbers-json", B64("1") + "." + B64("2") + "." + parts[2]);
        yield return ("truncated-json", B64("{\"alg\":\"RS256\"") + "." + parts[1] + "." + parts[2]);
        yield return ("bom-json", B64("\uFEFF{\"alg\":\"RS256\",\"typ\":\"at+jwt\"}") + "." + parts[1] + "." + parts[2]);
        yield return ("bad-utf8", Bytes([0x7B, 0x22, 0xC3, 0x28, 0x22, 0x3A, 0x31, 0x7D]) + "." + parts[1] + "." + parts[2]);
        yield return ("whitespace-inside", parts[0] + " ." + parts[1] + "." + parts[2]);
        yield return ("percent-encoded", Uri.EscapeDataString(valid + "="));
        for (var i = 0; i < 80; i++)
            yield return ($"random-ascii-{i}", RandomText(random, random.Next(1, 400), 33, 127));
        for (var i = 0; i < 60; i++)
            yield return ($"random-base64url-parts-{i}", RandomBase64Url(random, 2 + random.Next(4)));
        for (var i = 0; i < 60; i++)
            yield return ($"random-json-{i}", B64(RandomJson(random, 0)) + "." + B64(RandomJson(random, 0)) + "." + parts[2]);
        for (var i = 0; i < 60; i++)
            yield return ($"bit-flip-{i}", Flip(valid, random));
        for (var i = 0; i < 30; i++)
            yield return ($"random-bytes-{i}", Bytes(RandomBytes(random)) + "." + Bytes(RandomBytes(random)) + "." + parts[2]);
    }

    private static string B64(string text) => Bytes(Encoding.UTF8.GetBytes(text));

    private static string Bytes(byte[] bytes) => Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(bytes);

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(1, 200)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static string RandomText(Random random, int length, int from, int to)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++)
            chars[i] = (char)random.Next(from, to);
        return new string(chars);
    }

    private static string RandomBase64Url(Random random, int segments) =>
        string.Join('.', Enumerable.Range(0, segments).Select(_ => Bytes(RandomBytes(random))));

    private static string RandomJson(Random random, int depth) => random.Next(depth > 3 ? 3 : 7) switch
    {
        0 => random.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
        1 => "\"" + RandomText(random, random.Next(0, 12), 97, 123) + "\"",
        2 => "null",
        3 => "[" + string.Join(',', Enumerable.Range(0, random.Next(4)).Select(_ => RandomJson(random, depth + 1))) + "]",
        _ => "{" + string.Join(',', Enumerable.Range(0, random.Next(5)).Select(_ =>
            $"\"{new[] { "alg", "typ", "kid", "sub", "exp", "iat", "crit", "x" }[random.Next(8)]}\":{RandomJson(random, depth + 1)}")) + "}",
    };

    private static string Flip(string token, Random random)
    {
        var chars = token.ToCharArray();
        // Not the last character: its unused bits may change without changing the signature (see ClaimRuleTests).
        var at = random.Next(chars.Length - 1);
        chars[at] = chars[at] == 'A' ? 'B' : 'A';
        return new string(chars);
    }
}
