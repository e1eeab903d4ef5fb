using Microsoft.IdentityModel.Tokens;

namespace Platform.TokenRules;

/// <summary>
/// What IdentityModel checks on an access token of the platform, for every validator: Identity's own API, each
/// resource server and platformctl. Only where keys come from (discovery, key store, fetched JWKS) differs between them.
/// The checks IdentityModel cannot make are <see cref="TokenShape"/> (before) and <see cref="AccessTokenClaims"/> (after).
/// </summary>
public static class AccessTokenRules
{
    /// <summary>RS256 only (RFC 8725 §3.1): Identity signs with nothing else, so nothing else is worth a key lookup.</summary>
    public const string Algorithm = SecurityAlgorithms.RsaSha256;

    /// <summary>RFC 9068 §2.1 <c>typ</c>, as Identity writes it.</summary>
    public const string Type = "at+jwt";

    /// <summary>The largest clock skew any validator allows, and the default; retired keys and revocations outlive tokens by this much.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromSeconds(30);

    /// <summary>The default bound on a token's lifetime (<c>exp</c> − <c>iat</c>), above Identity's default of 10 minutes.</summary>
    public static readonly TimeSpan DefaultMaxLifetime = TimeSpan.FromMinutes(15);

    /// <summary>RFC 9068 §4: <c>at+jwt</c>, or its full media type, compared case-insensitively.</summary>
    public static bool IsAccessTokenType(string? typ) =>
        string.Equals(typ, Type, StringComparison.OrdinalIgnoreCase)
        || string.Equals(typ, "application/" + Type, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The validation parameters; the caller adds the signing keys (or a resolver) it trusts.
    /// </summary>
    /// <param name="issuer">Identity's issuer, or null when the discovery document supplies it.</param>
    /// <param name="audiences">Audiences accepted in <c>aud</c>; at least one must be present.</param>
    /// <param name="clockSkew">At most <see cref="MaxClockSkew"/>.</param>
    /// <param name="time">When given, lifetimes are judged on this clock instead of the system's (a fake clock in tests).</param>
    public static TokenValidationParameters Parameters(
        string? issuer, IEnumerable<string> audiences, TimeSpan clockSkew, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(clockSkew, MaxClockSkew);
        var parameters = new TokenValidationParameters
        {
            ValidAlgorithms = [Algorithm],
            // IdentityModel's ValidTypes compares exactly, so a conforming issuer's application/at+jwt would be refused.
            TypeValidator = (type, _, _) => IsAccessTokenType(type)
                ? type
                : throw new SecurityTokenInvalidTypeException("The token is not an access token."),
            ValidateIssuer = true,
            ValidIssuer = issuer,
            ValidateAudience = true,
            ValidAudiences = audiences,
            RequireAudience = true,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            // Only the key the kid names: trying every key would let an unknown kid cost one RSA check per key.
            TryAllIssuerSigningKeys = false,
            ClockSkew = clockSkew,
            NameClaimType = PlatformClaims.Subject,
            RoleClaimType = PlatformClaims.Role,
        };
        if (time is not null)
        {
            parameters.LifetimeValidator = (notBefore, expires, _, _) =>
            {
                var now = time.GetUtcNow().UtcDateTime;
                return expires is { } exp && now <= exp + clockSkew && (notBefore is not { } nbf || nbf - clockSkew <= now);
            };
        }

        return parameters;
    }
}
