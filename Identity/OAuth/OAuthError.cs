namespace Platform.Identity.OAuth;

/// <summary>An RFC 6749 §5.2 error answer (also RFC 7009 §2.2.1, RFC 7662 §2.3 and RFC 8707 §2).</summary>
public sealed record OAuthError(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("error_description")] string Description)
{
    public const string InvalidRequest = "invalid_request";
    public const string InvalidClient = "invalid_client";
    public const string InvalidGrant = "invalid_grant";
    public const string UnauthorizedClient = "unauthorized_client";
    public const string UnsupportedGrantType = "unsupported_grant_type";
    public const string InvalidScope = "invalid_scope";
    public const string InvalidTarget = "invalid_target";
    public const string UnsupportedTokenType = "unsupported_token_type";

    /// <summary>The answer for this error: 401 for <c>invalid_client</c>, 400 for every other.</summary>
    public JsonHttpResult<OAuthError> ToResult(HttpContext context, bool basicUsed = false)
    {
        ArgumentNullException.ThrowIfNull(context);
        var status = Error == InvalidClient ? StatusCodes.Status401Unauthorized : StatusCodes.Status400BadRequest;
        // RFC 6749 §5.2: a client that tried HTTP Basic is challenged with the scheme it used.
        if (Error == InvalidClient && basicUsed)
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"identity\", charset=\"UTF-8\"";
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.Pragma = "no-cache";
        return TypedResults.Json(this, statusCode: status);
    }
}
