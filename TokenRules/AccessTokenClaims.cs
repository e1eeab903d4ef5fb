using Microsoft.IdentityModel.JsonWebTokens;

namespace Platform.TokenRules;

/// <summary>
/// The claims JwtBearer does not require but the platform does, read from a verified token, and the rules every
/// validator applies to them: issued-at no later than now plus the skew, and the lifetime bound. A resource server
/// adds its deny-list on top, Identity its session row or service client.
/// </summary>
/// <remarks>
/// A user's token names its session (<c>sid</c>); a service client's token (client credentials) has none, and its
/// <c>sub</c> is the client id and <c>client_id</c> repeats it, so revoking the client is revoking a subject. A token
/// with neither a <c>sid</c> nor that <c>client_id</c> is refused, and a present <c>sid</c> must be a GUID.
/// </remarks>
public readonly record struct AccessTokenClaims(Guid UserId, Guid? SessionId, long IssuedAt, long Expires)
{
    /// <returns>Null when every required claim is present and well-formed (then <paramref name="claims"/> holds them).</returns>
    public static TokenRefusal? Read(JsonWebToken token, out AccessTokenClaims claims)
    {
        ArgumentNullException.ThrowIfNull(token);
        claims = default;
        if (!token.TryGetPayloadValue<string>(PlatformClaims.Subject, out var sub) || !Guid.TryParse(sub, out var userId))
            return Missing("The token lacks a required claim (" + PlatformClaims.Subject + ").");
        Guid? sessionId = null;
        if (token.TryGetPayloadValue<string>(PlatformClaims.SessionId, out var sid) && Guid.TryParse(sid, out var parsed))
            sessionId = parsed;
        else if (token.TryGetPayloadValue<object>(PlatformClaims.SessionId, out _) || !IsClientToken(token, sub))
            return Missing("The token lacks a required claim (" + PlatformClaims.SessionId + ").");

        if (!token.TryGetPayloadValue<string>(JwtRegisteredClaimNames.Jti, out var jti) || string.IsNullOrWhiteSpace(jti))
            return Missing("The token lacks a required claim (" + JwtRegisteredClaimNames.Jti + ").");
        if (!token.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Iat, out var issuedAt))
            return Missing("The token lacks a required claim (" + JwtRegisteredClaimNames.Iat + ").");
        if (!token.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Exp, out var expires))
            return Missing("The token lacks a required claim (" + JwtRegisteredClaimNames.Exp + ").");
        claims = new AccessTokenClaims(userId, sessionId, issuedAt, expires);
        return null;
    }

    /// <returns>Null when the token may be used as far as its own claims tell, otherwise why not.</returns>
    public TokenRefusal? Refusal(long nowUnixSeconds, TimeSpan clockSkew, TimeSpan maxLifetime)
    {
        if (IssuedAt > nowUnixSeconds + (long)clockSkew.TotalSeconds)
            return new TokenRefusal(TokenRefusalReason.IssuedInFuture, "The token was issued in the future.");
        if (Expires - IssuedAt > (long)maxLifetime.TotalSeconds)
            return new TokenRefusal(TokenRefusalReason.LifetimeTooLong, "The token lives longer than allowed.");
        return null;
    }

    // A service client's token: its client_id is its sub, in the same spelling Identity writes.
    private static bool IsClientToken(JsonWebToken token, string sub) =>
        token.TryGetPayloadValue<string>(PlatformClaims.ClientId, out var clientId) && string.Equals(clientId, sub, StringComparison.Ordinal);

    private static TokenRefusal Missing(string message) => new(TokenRefusalReason.MissingClaim, message);
}
