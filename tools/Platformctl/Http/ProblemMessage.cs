using System.Net;

namespace Platform.Platformctl.Http;

/// <summary>Turns a failed response into one line and an exit code, using the server's problem details when present.</summary>
public static class ProblemMessage
{
    public static async Task<CliException> ToFailureAsync(HttpResponseMessage response, string action, CancellationToken cancellation)
    {
        var status = (int)response.StatusCode;
        var exitCode = response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => ExitCodes.Unauthorized,
            HttpStatusCode.Forbidden => ExitCodes.Forbidden,
            HttpStatusCode.NotFound => ExitCodes.NotFound,
            _ => ExitCodes.Rejected,
        };
        var detail = await ReadProblemAsync(response, cancellation) ?? DefaultDetail(response.StatusCode);
        var retry = response.Headers.RetryAfter?.Delta is { } delta ? $" (retry after {delta.TotalSeconds:0} s)" : "";
        return new CliException(exitCode, $"{action} failed: {status} {detail}{retry}");
    }

    private static string DefaultDetail(HttpStatusCode status) => status switch
    {
        HttpStatusCode.Unauthorized => "not authenticated (wrong e-mail or password, or the operator token expired or was revoked)",
        HttpStatusCode.Forbidden => "the account is not an operator (role admin required)",
        HttpStatusCode.NotFound => "not found",
        _ => status.ToString(),
    };

    private static async Task<string?> ReadProblemAsync(HttpResponseMessage response, CancellationToken cancellation)
    {
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (mediaType is null || !mediaType.Contains("json", StringComparison.OrdinalIgnoreCase))
            return null;
        try
        {
            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellation));
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                return null;
            var title = Text(document.RootElement, "title");
            var detail = Text(document.RootElement, "detail");
            var text = (title, detail) switch
            {
                (not null, not null) when title != detail => $"{title}: {detail}",
                (not null, _) => title,
                (null, not null) => detail,
                _ => null,
            };
            if (Errors(document.RootElement) is { } errors)
                text = text is null ? errors : $"{text} {errors}";
            return text is null ? null : OneLine(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // Validation problems carry the useful part in "errors": {"field": ["message", ...]}.
    private static string? Errors(JsonElement problem)
    {
        if (!problem.TryGetProperty("errors", out var errors) || errors.ValueKind != JsonValueKind.Object)
            return null;
        var messages = errors.EnumerateObject()
            .SelectMany(field => field.Value.ValueKind == JsonValueKind.Array
                ? field.Value.EnumerateArray().Select(m => m.ToString())
                : [field.Value.ToString()])
            .ToList();
        return messages.Count == 0 ? null : "(" + string.Join("; ", messages) + ")";
    }

    private static string? Text(JsonElement problem, string name) =>
        problem.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : null;

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
