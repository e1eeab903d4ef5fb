using Microsoft.IdentityModel.JsonWebTokens;
using Platform.ResourceServer.Revocation;

namespace Platform.ResourceServer.Tokens;

/// <summary>
/// The claims JwtBearer does not require but the platform does, read from a verified token, and the rules on them:
/// issued-at, the lifetime bound and the deny-list. <see cref="TokenEvents"/> applies them on every request, and
/// <see cref="CachingTokenHandler"/> before it caches a token, so both judge a token the same way.
/// </summary>
internal readonly record struct AccessTokenClaims(Guid UserId, Guid SessionId, long IssuedAt, long Expires)
{
    public const string Missing = "The token lacks a required claim.";

    public static bool TryRead(JsonWebToken token, out AccessTokenClaims claims)
    {
        claims = default;
        if (!token.TryGetPayloadValue<string>("sub", out var sub) || !Guid.TryParse(sub, out var userId)
            || !token.TryGetPayloadValue<string>("sid", out var sid) || !Guid.TryParse(sid, out var sessionId)
            || !token.TryGetPayloadValue<string>("jti", out var jti) || string.IsNullOrWhiteSpace(jti)
            || !token.TryGetPayloadValue<long>("iat", out var issuedAt)
            || !token.TryGetPayloadValue<long>("exp", out var expires))
            return false;
        claims = new AccessTokenClaims(userId, sessionId, issuedAt, expires);
        return true;
    }

    /// <returns>
    /// Null when the token may be used, otherwise why not, in the words the rejection metrics classify
    /// (<see cref="Diagnostics.TokenRejectionReasons"/>).
    /// </returns>
    public string? Refusal(ResourceServerOptions settings, long nowUnixSeconds, DenyList denyList)
    {
        if (IssuedAt > nowUnixSeconds + (long)settings.ClockSkew.TotalSeconds)
            return "The token was issued in the future.";
        if (Expires - IssuedAt > (long)settings.MaxTokenLifetime.TotalSeconds)
            return "The token lives longer than allowed.";
        return denyList.IsRevoked(UserId, SessionId, IssuedAt) ? "The token has been revoked." : null;
    }
}
