using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;

namespace Platform.Platformctl.Http;

/// <summary>Identity's HTTP API as the tool needs it: every failure becomes a <see cref="CliException"/>.</summary>
public sealed class IdentityApi : IDisposable
{
    /// <summary>
    /// The RFC 8707 resource the operator's token is asked for: Identity's operator API takes only tokens of its own
    /// audience, and such a token is accepted by no other API.
    /// </summary>
    public const string OperatorResource = "identity";

    /// <summary>The response header in which Identity names the revocation event a change published.</summary>
    public const string RevocationEventHeader = "Revocation-Event";

    private readonly HttpClient _http;

    public IdentityApi(CliContext context, Uri identityUrl)
    {
        _http = context.CreateHttpClient(identityUrl);
        BaseAddress = identityUrl;
    }

    public Uri BaseAddress { get; }

    public Task<JsonElement?> GetAsync(string path, string action, string? accessToken, CancellationToken cancellation) =>
        SendAsync(HttpMethod.Get, path, null, action, accessToken, cancellation);

    public Task<JsonElement?> PostAsync(string path, object? body, string action, string? accessToken, CancellationToken cancellation) =>
        SendAsync(HttpMethod.Post, path, body, action, accessToken, cancellation);

    /// <summary>Sends one request; returns the JSON body, or null for an empty success (204, 202 without body).</summary>
    public async Task<JsonElement?> SendAsync(
        HttpMethod method, string path, object? body, string action, string? accessToken, CancellationToken cancellation) =>
        (await SendForAnswerAsync(method, path, body, action, accessToken, cancellation)).Body;

    /// <summary>Sends one request; returns the JSON body (null when empty) and the event the change published, if it names one.</summary>
    public async Task<ApiAnswer> SendForAnswerAsync(
        HttpMethod method, string path, object? body, string action, string? accessToken, CancellationToken cancellation)
    {
        using var request = new HttpRequestMessage(method, Target(path));
        if (body is not null)
            request.Content = JsonContent.Create(body);
        if (accessToken is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        using var response = await SendOrExplainAsync(request, action, cancellation);
        if (!response.IsSuccessStatusCode)
            throw await ProblemMessage.ToFailureAsync(response, action, cancellation);

        var revocationEvent = response.Headers.TryGetValues(RevocationEventHeader, out var values)
            && Guid.TryParse(values.FirstOrDefault(), out var eventId) ? eventId : (Guid?)null;
        var text = await response.Content.ReadAsStringAsync(cancellation);
        if (string.IsNullOrWhiteSpace(text))
            return new ApiAnswer(null, revocationEvent);
        try
        {
            using var document = JsonDocument.Parse(text);
            return new ApiAnswer(document.RootElement.Clone(), revocationEvent);
        }
        catch (JsonException)
        {
            throw new CliException(ExitCodes.Rejected, $"{action}: Identity answered {(int)response.StatusCode} with a body that is not JSON.");
        }
    }

    // The JWKS comes from the discovery document's jwks_uri, which is absolute; everything else is relative to Identity.
    private static Uri Target(string path) =>
        path.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || path.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
            ? new Uri(path, UriKind.Absolute)
            : new Uri(path.TrimStart('/'), UriKind.Relative);

    private async Task<HttpResponseMessage> SendOrExplainAsync(HttpRequestMessage request, string action, CancellationToken cancellation)
    {
        try
        {
            return await _http.SendAsync(request, cancellation);
        }
        catch (HttpRequestException error)
        {
            var reason = error.InnerException is SocketException socket ? socket.SocketErrorCode.ToString() : error.HttpRequestError.ToString();
            throw new CliException(ExitCodes.Unreachable, $"{action} failed: cannot reach Identity at {BaseAddress} ({reason}).");
        }
        catch (TaskCanceledException) when (!cancellation.IsCancellationRequested)
        {
            throw new CliException(ExitCodes.Unreachable, $"{action} failed: Identity at {BaseAddress} did not answer in time.");
        }
    }

    public void Dispose() => _http.Dispose();
}

/// <param name="RevocationEvent">The event named by the <c>Revocation-Event</c> header, when the change published one.</param>
public sealed record ApiAnswer(JsonElement? Body, Guid? RevocationEvent);
