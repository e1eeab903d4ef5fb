using Microsoft.Extensions.Primitives;

namespace Platform.Identity.OAuth;

/// <summary>
/// The parameters of an OAuth request, RFC 6749 §3.2: form encoding only, each parameter at most once. Any other
/// body is an <c>invalid_request</c>; a body of another media type is refused before it is read.
/// </summary>
public sealed class OAuthForm
{
    private readonly IFormCollection _form;

    private OAuthForm(IFormCollection form) => _form = form;

    public string? this[string name] => _form.TryGetValue(name, out var value) && value.Count == 1 && !string.IsNullOrEmpty(value[0]) ? value[0] : null;

    /// <summary>The form, or the error to answer with; null form and null error mean the media type is not a form (415).</summary>
    public static async Task<(OAuthForm? Form, OAuthError? Error)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.HasFormContentType || request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) != true)
            return (null, null);
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is InvalidDataException or BadHttpRequestException { StatusCode: not StatusCodes.Status413PayloadTooLarge } or IOException)
        {
            return (null, new OAuthError(OAuthError.InvalidRequest, "The request body is not a readable form."));
        }

        foreach (var (name, value) in form)
        {
            // RFC 8707 lets a client name several resources; a token here is for one audience the client asks for.
            if (value.Count > 1 && name == "resource")
                return (null, new OAuthError(OAuthError.InvalidTarget, "Ask for one resource per request."));
            if (value.Count > 1)
                return (null, new OAuthError(OAuthError.InvalidRequest, $"The parameter '{Printable(name)}' is repeated."));
        }

        return (new OAuthForm(form), null);
    }

    public bool Has(string name) => _form.TryGetValue(name, out var value) && !StringValues.IsNullOrEmpty(value);

    // A parameter name is echoed only when short and plain, so an error description can carry no markup or escape.
    private static string Printable(string name) =>
        name.Length <= 40 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-') ? name : "(unnamed)";
}

/// <summary>The 415 for a body that is not <c>application/x-www-form-urlencoded</c>.</summary>
internal static class OAuthMediaType
{
    public static JsonHttpResult<OAuthError> Unsupported(HttpContext context)
    {
        var result = new OAuthError(OAuthError.InvalidRequest, "The body must be application/x-www-form-urlencoded.").ToResult(context);
        return TypedResults.Json(result.Value, statusCode: StatusCodes.Status415UnsupportedMediaType);
    }
}
