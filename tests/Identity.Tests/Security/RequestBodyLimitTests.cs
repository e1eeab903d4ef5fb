using System.Net.Http.Headers;

namespace Platform.Identity.Tests.Security;

/// <summary>
/// Identity's bodies are a few short fields, so anything past its small limit is refused before the JSON reader
/// holds it: a declared length at once, a chunked body while it streams. Always a 413 problem, never a 5xx, even on
/// the anonymous endpoints (sign-up, login, forgot, reset) where an attacker needs no account.
/// </summary>
public sealed class RequestBodyLimitTests(IdentityApp app) : IClassFixture<IdentityApp>
{
    private readonly HttpClient _client = app.CreateClient();

    public static TheoryData<string> AnonymousEndpoints => ["/users", "/auth/login", "/auth/password/forgot", "/auth/password/reset"];

    [Theory]
    [MemberData(nameof(AnonymousEndpoints))]
    public async Task A_declared_body_over_the_limit_is_413_problem(string path)
    {
        using var content = new StringContent(Body(1_000_000), Encoding.UTF8, "application/json");

        using var response = await _client.PostAsync(path, content);

        var problem = await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("Request body too large", problem.GetProperty("title").GetString());
    }

    [Theory]
    [MemberData(nameof(AnonymousEndpoints))]
    public async Task A_chunked_body_over_the_limit_is_413_problem(string path)
    {
        using var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(Body(200_000))));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await _client.SendAsync(request);

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task A_body_just_over_the_limit_is_refused_and_one_under_it_is_read()
    {
        var limit = (int)Platform.Identity.Extensions.IdentityServiceExtensions.MaxRequestBodyBytes;
        using var over = new StringContent(Body(limit + 1 - Body(0).Length), Encoding.UTF8, "application/json");
        using var under = new StringContent(Body(limit - 100 - Body(0).Length), Encoding.UTF8, "application/json");

        using var refused = await _client.PostAsync("/auth/login", over);
        using var read = await _client.PostAsync("/auth/login", under);

        await refused.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        // Read and judged by the endpoint's own rules: too long a password is a 400, not a size refusal.
        Assert.True((int)read.StatusCode is >= 400 and < 500 and not 413, $"under the limit answered {(int)read.StatusCode}");
    }

    private static string Body(int padding) =>
        $"{{\"email\":\"someone@example.test\",\"password\":\"{new string('p', padding)}\"}}";
}
