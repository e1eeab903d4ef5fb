using Platform.Identity.Authentication;
using Platform.Identity.Sessions;
using Platform.TokenRules;

namespace Platform.Identity.OAuth;

/// <summary>A refresh token Identity issued, with the session it belongs to.</summary>
public sealed record KnownRefreshToken(RefreshToken Token, Session Session);

/// <summary>
/// What a token presented to revocation or introspection is: an access token Identity signed, or a refresh token it
/// issued (only its hash is stored, so that is how it is found). Anything else is no token of Identity's.
/// </summary>
public sealed class PresentedTokens(OwnTokens ownTokens, IdentityDb db)
{
    /// <summary>Refresh tokens are 43 base64url characters; access tokens are JWS with two dots.</summary>
    public static bool LooksLikeAccessToken(string token) => token.Contains('.', StringComparison.Ordinal);

    public Task<VerifiedAccessToken?> AccessTokenAsync(string token, bool allowExpired) =>
        LooksLikeAccessToken(token) ? ownTokens.VerifyAsync(token, allowExpired) : Task.FromResult<VerifiedAccessToken?>(null);

    public async Task<KnownRefreshToken?> RefreshTokenAsync(string token, CancellationToken cancellationToken)
    {
        if (LooksLikeAccessToken(token) || token.Length > TokenLimits.MaxRefreshTokenLength)
            return null;
        var hash = SessionService.Hash(token);
        var found = await db.RefreshTokens.AsNoTracking().Where(t => t.Hash == hash)
            .Join(db.Sessions.AsNoTracking(), t => t.SessionId, s => s.Id, (t, s) => new { Token = t, Session = s })
            .SingleOrDefaultAsync(cancellationToken);
        return found is null ? null : new KnownRefreshToken(found.Token, found.Session);
    }

    /// <summary>Whether a refresh token still works: unused, unexpired, its session open and its user unchanged.</summary>
    public Task<bool> IsLiveAsync(KnownRefreshToken refresh, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(refresh);
        if (refresh.Token.ConsumedAt is not null || refresh.Token.ExpiresAt <= now || refresh.Session.ExpiresAt <= now)
            return Task.FromResult(false);
        var session = refresh.Session;
        return ownTokens.IsLiveAsync(new AccessTokenClaims(session.UserId, session.Id, 0, 0), cancellationToken);
    }
}
