using System.Net.Mail;
using Platform.Identity.Tokens;

namespace Platform.Identity.Apis;

/// <summary>Input limits checked before anything touches the database or hashes a password.</summary>
internal static class Validation
{
    public const int MaxEmailLength = 254;
    public const int MaxPasswordLength = 256;
    public const int MaxDisplayNameLength = 100;
    public const int MaxTokenLength = 2048;
    public const int MaxResourceLength = 256;

    public static void Email(Dictionary<string, string[]> errors, string? email)
    {
        if (string.IsNullOrWhiteSpace(email))
            errors["email"] = ["An e-mail address is required."];
        else if (email.Length > MaxEmailLength || !MailAddress.TryCreate(email, out var parsed) || parsed.Address != email)
            errors["email"] = ["This is not a valid e-mail address."];
    }

    public static void Required(Dictionary<string, string[]> errors, string name, string? value, int maxLength)
    {
        if (string.IsNullOrEmpty(value))
            errors[name] = [$"'{name}' is required."];
        else if (value.Length > maxLength)
            errors[name] = [$"'{name}' must be at most {maxLength} characters."];
    }

    /// <summary>An RFC 8707 <c>invalid_target</c>: a resource no token is issued for is refused before any credential is checked.</summary>
    public static void Resource(Dictionary<string, string[]> errors, string? resource, TokenIssuer issuer)
    {
        if (resource is not null && (resource.Length > MaxResourceLength || !issuer.IsKnownResource(resource)))
            errors["resource"] = ["invalid_target: 'resource' names no audience Identity issues tokens for."];
    }

    /// <summary>
    /// Optional; at most <see cref="MaxDisplayNameLength"/> characters, with no control character (terminal escapes,
    /// line breaks) and no bidi embedding, override or isolate: the name is shown to operators and other users, and
    /// such characters would let it restyle or reorder what they read.
    /// </summary>
    public static void DisplayName(Dictionary<string, string[]> errors, string? displayName)
    {
        if (displayName is null)
            return;
        if (displayName.Length > MaxDisplayNameLength)
            errors["displayName"] = [$"'displayName' must be at most {MaxDisplayNameLength} characters."];
        else if (displayName.Any(c => char.IsControl(c) || c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069')))
            errors["displayName"] = ["'displayName' must not contain control characters or bidi overrides."];
    }

    public static ProblemHttpResult Unauthorized(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized", detail: detail);
}
