using Microsoft.IdentityModel.JsonWebTokens;
using Platform.Identity.Authentication;
using Platform.Identity.Tokens;
using Platform.TokenRules;

namespace Platform.Identity.OAuth;

/// <summary>An RFC 7662 §2.2 answer; an inactive token is answered with <c>active</c> alone.</summary>
public sealed record IntrospectionResponse(
    [property: JsonPropertyName("active")] bool Active,
    [property: JsonPropertyName("token_type"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? TokenType = null,
    [property: JsonPropertyName("sub"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Subject = null,
    [property: JsonPropertyName("client_id"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ClientId = null,
    [property: JsonPropertyName("sid"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? SessionId = null,
    [property: JsonPropertyName("scope"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Scope = null,
    [property: JsonPropertyName("aud"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string[]? Audiences = null,
    [property: JsonPropertyName("iss"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Issuer = null,
    [property: JsonPropertyName("exp"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Expires = null,
    [property: JsonPropertyName("iat"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? IssuedAt = null,
    [property: JsonPropertyName("jti"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? TokenId = null)
{
    public static readonly IntrospectionResponse Inactive = new(false);
}

/// <summary>
/// RFC 7662: whether a token Identity issued is usable now. An access token must be signed by a published key, meet
/// the platform's rules and be unexpired, and what it names must be live (an open session of an active, unchanged
/// user, or an enabled client); a refresh token must be unused and its session live. Everything else is inactive,
/// with nothing said about why.
/// </summary>
public sealed class TokenIntrospection(PresentedTokens presented, OwnTokens ownTokens, TimeProvider time, IOptions<IdentityServiceOptions> options)
{
    public const string AccessTokenType = "access_token";
    public const string RefreshTokenType = "refresh_token";

    public async Task<IntrospectionResponse> IntrospectAsync(string token, CancellationToken cancellationToken)
    {
        if (await presented.AccessTokenAsync(token, allowExpired: false) is { } access)
            return await ownTokens.IsLiveAsync(access.Claims, cancellationToken) ? Describe(access) : IntrospectionResponse.Inactive;
        if (await presented.RefreshTokenAsync(token, cancellationToken) is not { } refresh
            || !await presented.IsLiveAsync(refresh, time.GetUtcNow(), cancellationToken))
            return IntrospectionResponse.Inactive;
        return new IntrospectionResponse(true, RefreshTokenType, refresh.Session.UserId.ToString(), SessionId: refresh.Session.Id.ToString(),
            Scope: TokenIssuer.UserScopes, Issuer: options.Value.Issuer, Expires: refresh.Token.ExpiresAt.ToUnixTimeSeconds(),
            IssuedAt: refresh.Token.CreatedAt.ToUnixTimeSeconds());
    }

    private static IntrospectionResponse Describe(VerifiedAccessToken access)
    {
        var token = access.Token;
        return new IntrospectionResponse(
            true,
            AccessTokenType,
            access.Claims.UserId.ToString(),
            Text(token, PlatformClaims.ClientId),
            access.Claims.SessionId?.ToString(),
            Text(token, PlatformClaims.Scope),
            [.. token.Audiences],
            token.Issuer,
            access.Claims.Expires,
            access.Claims.IssuedAt,
            Text(token, JwtRegisteredClaimNames.Jti));
    }

    private static string? Text(JsonWebToken token, string claim) => token.TryGetPayloadValue<string>(claim, out var value) ? value : null;
}
