namespace Platform.ResourceServer.Tokens;

/// <summary>
/// The platform's claim rules under this API's settings, then its deny-list. <see cref="TokenEvents"/> applies them on
/// every request, and <see cref="CachingTokenHandler"/> before it caches a token, so both judge a token the same way.
/// </summary>
internal static class AccessTokenChecks
{
    private static readonly TokenRefusal Revoked = new(TokenRefusalReason.Revoked, "The token has been revoked.");
    private static readonly TokenRefusal KeyRevoked = new(TokenRefusalReason.KeyRevoked, "The token's signing key has been revoked.");

    /// <param name="keyId">The header <c>kid</c> the signature was verified with.</param>
    /// <returns>Null when the token may be used, otherwise why not.</returns>
    public static TokenRefusal? Refusal(
        this AccessTokenClaims claims, string? keyId, ResourceServerOptions settings, long nowUnixSeconds, DenyList denyList)
    {
        // Before the claims: a revoked key's tokens may have been minted by whoever took it, with any claims at all.
        if (denyList.IsKeyRevoked(keyId))
            return KeyRevoked;
        if (claims.Refusal(nowUnixSeconds, settings.ClockSkew, settings.MaxTokenLifetime) is { } refusal)
            return refusal;
        return denyList.IsRevoked(claims.UserId, claims.SessionId, claims.IssuedAt) ? Revoked : null;
    }

    /// <summary>The same deny-list checks for a cached token, whose claims passed the rules when it was admitted.</summary>
    public static TokenRefusal? Refusal(this CachedAccessToken token, DenyList denyList)
    {
        if (denyList.IsKeyRevoked(token.Kid))
            return KeyRevoked;
        return denyList.IsRevoked(token.UserId, token.SessionId, token.IssuedAt) ? Revoked : null;
    }
}
