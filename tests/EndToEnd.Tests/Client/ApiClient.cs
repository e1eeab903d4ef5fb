using System.Net.Http.Headers;

namespace Platform.EndToEnd.Tests.Client;

/// <summary>What both typed clients share: camelCase JSON, bearer headers, and failures that say what came back.</summary>
public abstract class ApiClient : IDisposable
{
    protected static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    protected ApiClient(Uri baseAddress)
    {
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(15) };
    }

    protected HttpClient Http { get; }

    public void Dispose()
    {
        Http.Dispose();
        GC.SuppressFinalize(this);
    }

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? bearer = null, object? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (bearer is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        if (body is not null)
            request.Content = JsonContent.Create(body, options: Json);
        return Http.SendAsync(request);
    }

    protected async Task<T> ExpectAsync<T>(HttpResponseMessage response, HttpStatusCode expected, string what)
    {
        await ExpectAsync(response, expected, what);
        return await response.Content.ReadFromJsonAsync<T>(Json)
            ?? throw new InvalidOperationException($"{what}: the response had no body.");
    }

    protected static async Task ExpectAsync(HttpResponseMessage response, HttpStatusCode expected, string what)
    {
        if (response.StatusCode == expected)
            return;
        // The body is a problem document; the request (which may carry a token) is deliberately not echoed.
        var body = await response.Content.ReadAsStringAsync();
        Assert.Fail($"{what}: expected {(int)expected} {expected}, got {(int)response.StatusCode} {response.StatusCode}. {Truncate(body)}");
    }

    private static string Truncate(string text) => text.Length <= 400 ? text : text[..400] + "…";
}
