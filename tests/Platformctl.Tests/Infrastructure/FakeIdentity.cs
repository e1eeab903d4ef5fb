using System.Text;

namespace Platform.Platformctl.Tests.Infrastructure;

/// <summary>
/// A stand-in for Identity at the HTTP level: discovery and JWKS from a test key, and canned answers for other paths.
/// It records what it was asked, so tests can prove what the tool sends and what it never sends.
/// </summary>
public sealed class FakeIdentity : HttpMessageHandler
{
    private readonly Dictionary<string, (HttpStatusCode Status, string? Json, string ContentType)> _answers = new(StringComparer.Ordinal);

    public FakeIdentity(SigningKey key)
    {
        Answer("GET /.well-known/openid-configuration", HttpStatusCode.OK,
            $$"""{"issuer":"{{SigningKey.Issuer}}","jwks_uri":"{{SigningKey.Issuer}}/.well-known/jwks.json"}""");
        Answer("GET /.well-known/jwks.json", HttpStatusCode.OK, key.JwksJson());
    }

    private readonly Dictionary<string, (string Name, string Value)> _headers = new(StringComparer.Ordinal);

    public List<(string Request, string? Authorization, string? Body)> Requests { get; } = [];

    /// <summary>A response header the answer to <paramref name="request"/> carries.</summary>
    public FakeIdentity Header(string request, string name, string value)
    {
        _headers[request] = (name, value);
        return this;
    }

    public FakeIdentity Answer(string request, HttpStatusCode status, string? json = null, string contentType = "application/problem+json")
    {
        _answers[request] = (status, json, json is not null && status == HttpStatusCode.OK ? "application/json" : contentType);
        return this;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var key = $"{request.Method} {request.RequestUri!.PathAndQuery}";
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        Requests.Add((key, request.Headers.Authorization?.ToString(), body));
        if (!_answers.TryGetValue(key, out var answer))
            return new HttpResponseMessage(HttpStatusCode.NotFound);
        var response = new HttpResponseMessage(answer.Status);
        if (_headers.TryGetValue(key, out var header))
            response.Headers.Add(header.Name, header.Value);
        if (answer.Json is not null)
            response.Content = new StringContent(answer.Json, Encoding.UTF8, answer.ContentType);
        return response;
    }
}
