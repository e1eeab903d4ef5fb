using Platform.Identity.Clients;
using Platform.Identity.OAuth;

namespace Platform.Identity.Apis;

/// <summary>
/// The OAuth 2.0 endpoints: token (RFC 6749 §3.2), revocation (RFC 7009) and introspection (RFC 7662). They speak OAuth's
/// form encoding and error answers rather than JSON and problem details, so standard clients can use them as they are.
/// </summary>
public static class ConnectApi
{
    public static IEndpointRouteBuilder MapConnectApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/connect").WithTags("OAuth").AllowAnonymous().RequireRateLimiting(RateLimiting.PerClient)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        group.MapPost("/token", Token).WithSummary("OAuth 2.0 token endpoint: refresh_token and client_credentials grants");
        group.MapPost("/revocation", Revoke).WithSummary("RFC 7009: revoke a refresh or access token (ends its session)");
        group.MapPost("/introspect", Introspect).WithSummary("RFC 7662: whether a token is active (client authentication required)");
        return app;
    }

    public static async Task<Results<Ok<OAuthTokenResponse>, JsonHttpResult<OAuthError>>> Token(
        HttpContext context, ClientAuthentication clients, TokenGrants grants, CancellationToken cancellationToken)
    {
        var (form, error) = await OAuthForm.ReadAsync(context.Request, cancellationToken);
        if (form is null)
            return error?.ToResult(context) ?? OAuthMediaType.Unsupported(context);
        var caller = await clients.AuthenticateAsync(context.Request, form, cancellationToken);
        if (caller.Error is not null)
            return caller.Error.ToResult(context, caller.BasicUsed);

        var (tokens, refused) = form["grant_type"] switch
        {
            null => (null, new OAuthError(OAuthError.InvalidRequest, "'grant_type' is required.")),
            TokenGrants.RefreshToken => await grants.RefreshAsync(form, caller, cancellationToken),
            TokenGrants.ClientCredentials when caller.Client is null =>
                (null, new OAuthError(OAuthError.InvalidClient, "The client_credentials grant requires client authentication.")),
            TokenGrants.ClientCredentials => grants.ClientCredentialsFor(form, caller.Client),
            _ => (null, new OAuthError(OAuthError.UnsupportedGrantType, "Supported grants: refresh_token, client_credentials.")),
        };
        if (refused is not null)
            return refused.ToResult(context, caller.BasicUsed);
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.Pragma = "no-cache";
        return TypedResults.Ok(tokens);
    }

    public static async Task<Results<Ok, JsonHttpResult<OAuthError>>> Revoke(
        HttpContext context, ClientAuthentication clients, TokenRevocation revocation, CancellationToken cancellationToken)
    {
        var (form, error) = await OAuthForm.ReadAsync(context.Request, cancellationToken);
        if (form is null)
            return error?.ToResult(context) ?? OAuthMediaType.Unsupported(context);
        var caller = await clients.AuthenticateAsync(context.Request, form, cancellationToken);
        if (caller.Error is not null)
            return caller.Error.ToResult(context, caller.BasicUsed);
        if (form["token"] is not { } token)
            return new OAuthError(OAuthError.InvalidRequest, "'token' is required.").ToResult(context, caller.BasicUsed);
        // token_type_hint is only a hint (RFC 7009 §2.1): every kind is tried whatever it says.
        var refused = await revocation.RevokeAsync(token, caller, cancellationToken);
        return refused is null ? TypedResults.Ok() : refused.ToResult(context, caller.BasicUsed);
    }

    public static async Task<Results<Ok<IntrospectionResponse>, JsonHttpResult<OAuthError>>> Introspect(
        HttpContext context, ClientAuthentication clients, TokenIntrospection introspection, CancellationToken cancellationToken)
    {
        var (form, error) = await OAuthForm.ReadAsync(context.Request, cancellationToken);
        if (form is null)
            return error?.ToResult(context) ?? OAuthMediaType.Unsupported(context);
        var caller = await clients.AuthenticateAsync(context.Request, form, cancellationToken);
        if (caller.Client is null)
            return (caller.Error ?? new OAuthError(OAuthError.InvalidClient, "Introspection requires client authentication.")).ToResult(context, caller.BasicUsed);
        if (form["token"] is not { } token)
            return new OAuthError(OAuthError.InvalidRequest, "'token' is required.").ToResult(context, caller.BasicUsed);
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(await introspection.IntrospectAsync(token, cancellationToken));
    }
}
