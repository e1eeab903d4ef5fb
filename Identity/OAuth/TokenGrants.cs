using Platform.Identity.Clients;
using Platform.Identity.Diagnostics;
using Platform.Identity.Sessions;
using Platform.Identity.Tokens;

namespace Platform.Identity.OAuth;

/// <summary>A successful token response, RFC 6749 §5.1.</summary>
public sealed record OAuthTokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("expires_in")] int ExpiresIn,
    [property: JsonPropertyName("scope")] string Scope,
    [property: JsonPropertyName("refresh_token"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? RefreshToken = null);

/// <summary>
/// The grants of <c>POST /connect/token</c>. The refresh grant is <c>/auth/refresh</c> in OAuth's encoding, through the
/// same <see cref="SessionService.RefreshAsync"/>; the client credentials grant mints a client's own token.
/// </summary>
public sealed class TokenGrants(SessionService sessions, TokenIssuer issuer, TimeProvider time, IdentityMetrics metrics)
{
    public const string RefreshToken = "refresh_token";
    public const string ClientCredentials = "client_credentials";

    private const int MaxScopeLength = 1024;

    /// <param name="client">An authenticated client, if one authenticated; service clients hold no refresh tokens.</param>
    public async Task<(OAuthTokenResponse? Tokens, OAuthError? Error)> RefreshAsync(OAuthForm form, ClientAuthenticationResult client, CancellationToken cancellationToken)
    {
        if (client.Client is not null)
            return (null, new OAuthError(OAuthError.UnauthorizedClient, "Service clients use the client_credentials grant."));
        var presented = form[RefreshToken];
        if (presented is null || presented.Length > TokenLimits.MaxRefreshTokenLength)
            return (null, new OAuthError(OAuthError.InvalidRequest, "'refresh_token' is required."));
        var resource = form["resource"];
        if (resource is not null && (resource.Length > TokenLimits.MaxResourceLength || !issuer.IsKnownResource(resource)))
            return (null, new OAuthError(OAuthError.InvalidTarget, "'resource' names no audience Identity issues tokens for."));
        // A consumed token presented again revokes its session here exactly as at /auth/refresh.
        var tokens = await sessions.RefreshAsync(presented, resource, cancellationToken);
        return tokens is null
            ? (null, new OAuthError(OAuthError.InvalidGrant, "The refresh token is invalid, expired or already used."))
            : (new OAuthTokenResponse(tokens.AccessToken, "Bearer", tokens.ExpiresIn, TokenIssuer.UserScopes, tokens.RefreshToken), null);
    }

    /// <summary>RFC 6749 §4.4: scopes within the client's (all of them when none are asked for), audience one of its own.</summary>
    public (OAuthTokenResponse? Tokens, OAuthError? Error) ClientCredentialsFor(OAuthForm form, ServiceClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        string[] scopes = client.Scopes;
        if (form["scope"] is { } asked)
        {
            scopes = asked.Length > MaxScopeLength ? [""] : asked.Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToArray();
            if (scopes.Length == 0 || scopes.Any(s => !client.Scopes.Contains(s, StringComparer.Ordinal)))
                return (null, new OAuthError(OAuthError.InvalidScope, "The scope asked for is not within the client's scopes."));
        }

        var known = client.Audiences.Where(a => issuer.IsKnownResource(a)).ToArray();
        var audiences = known;
        if (form["resource"] is { } resource)
        {
            if (!known.Contains(resource, StringComparer.Ordinal))
                return (null, new OAuthError(OAuthError.InvalidTarget, "'resource' is not one of the client's audiences."));
            audiences = [resource];
        }

        if (audiences.Length == 0 || scopes.Length == 0)
            return (null, new OAuthError(OAuthError.UnauthorizedClient, "The client may obtain no token: it has no scope or audience tokens are issued for."));
        var token = issuer.IssueForClient(client, scopes, audiences, time.GetUtcNow());
        metrics.TokenIssued(ClientCredentials);
        return (new OAuthTokenResponse(token.Token, "Bearer", token.ExpiresIn, string.Join(' ', scopes)), null);
    }
}

/// <summary>Input bounds of the OAuth endpoints, checked before any lookup.</summary>
internal static class TokenLimits
{
    public const int MaxRefreshTokenLength = 2048;
    public const int MaxResourceLength = 256;
}
