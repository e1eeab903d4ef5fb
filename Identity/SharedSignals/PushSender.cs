using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Platform.Identity.SharedSignals;

/// <summary>How a receiver answered one pushed SET (RFC 8935 §2.2–2.3).</summary>
public enum PushOutcome
{
    Delivered,
    Refused,
    Retry,
}

/// <summary>
/// Pushes one SET (RFC 8935 §2): POST with <c>Content-Type: application/secevent+jwt</c>, redirects not followed. 202 is
/// delivered; 400 with an RFC 8935 error body is a refusal of this SET for good; anything else, a timeout included, is
/// retried. What it reports names a status or the receiver's error code, never the SET or the endpoint.
/// </summary>
public sealed class PushSender(IHttpClientFactory clients, IOptions<SharedSignalsOptions> options)
{
    public const string ClientName = "ssf-push";

    private const int MaxErrorBody = 4096;

    public async Task<(PushOutcome Outcome, string? Error)> SendAsync(string endpoint, string set, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new StringContent(set) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(SetSigner.MediaType);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.RequestTimeout);
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (response.StatusCode == HttpStatusCode.Accepted)
                return (PushOutcome.Delivered, null);
            var status = (int)response.StatusCode;
            if (response.StatusCode == HttpStatusCode.BadRequest && await ErrorCodeAsync(response, timeout.Token) is { } err)
                return (PushOutcome.Refused, $"refused with {err}");
            return (PushOutcome.Retry, $"answered {status}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (PushOutcome.Retry, "timed out");
        }
        catch (HttpRequestException exception)
        {
            return (PushOutcome.Retry, $"unreachable ({exception.HttpRequestError})");
        }
    }

    /// <summary>A receiver's error code as it may be logged and stored: short and plain, or a stand-in.</summary>
    public static string SafeCode(string? code) =>
        code is { Length: > 0 and <= 64 } && code.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-') ? code : "an unreadable error code";

    /// <summary>The <c>err</c> member of an RFC 8935 §2.3 error body, kept short and printable; null if there is none.</summary>
    private static async Task<string?> ErrorCodeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var buffer = new byte[MaxErrorBody];
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            var read = await body.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
            using var document = JsonDocument.Parse(buffer.AsMemory(0, read));
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("err", out var err) && err.ValueKind == JsonValueKind.String)
                return SafeCode(err.GetString());

            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
