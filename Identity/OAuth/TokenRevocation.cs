using Platform.Identity.Clients;
using Platform.Identity.Sessions;

namespace Platform.Identity.OAuth;

/// <summary>
/// RFC 7009. A user's refresh token or access token ends its session (SessionRevoked, reason <c>token-revoked</c>), which
/// every resource server then refuses; the token itself is the proof, so a user needs no client credentials. A client
/// that authenticates may revoke only tokens issued to it, and no user token is. A client's own access token names no
/// session: it is answered <c>unsupported_token_type</c> (§2.2.1), since such a token ends only when it expires or its
/// client is disabled. Unknown, malformed and forged tokens are answered 200 (§2.2), and change nothing: an access token
/// counts only with a valid signature of Identity's (expired is fine).
/// </summary>
public sealed class TokenRevocation(PresentedTokens presented, IdentityDb db, UnitOfWork unitOfWork, SessionService sessions, TimeProvider time)
{
    /// <returns>Null when the answer is 200.</returns>
    public async Task<OAuthError?> RevokeAsync(string token, ClientAuthenticationResult caller, CancellationToken cancellationToken)
    {
        Guid? sessionId = null;
        if (await presented.AccessTokenAsync(token, allowExpired: true) is { } access)
        {
            if (access.Claims.SessionId is null)
            {
                return caller.Client is not null && caller.Client.Id != access.Claims.UserId
                    ? NotYours()
                    : new OAuthError(OAuthError.UnsupportedTokenType, "A client's access token ends when it expires or when the client is disabled.");
            }

            sessionId = access.Claims.SessionId;
        }
        else if (await presented.RefreshTokenAsync(token, cancellationToken) is { } refresh)
        {
            sessionId = refresh.Session.Id;
        }

        if (sessionId is null)
            return null;
        if (caller.Client is not null)
            return NotYours();

        await using var transaction = await unitOfWork.BeginAsync(cancellationToken);
        var session = await db.Sessions.FromSql($"SELECT * FROM \"Sessions\" WHERE \"Id\" = {sessionId.Value} FOR UPDATE").SingleOrDefaultAsync(cancellationToken);
        if (session is not null)
        {
            var now = time.GetUtcNow();
            sessions.Revoke(session, SessionRevokedReasons.TokenRevoked, now);
            await db.RefreshTokens.Where(t => t.SessionId == session.Id && t.ConsumedAt == null)
                .ExecuteUpdateAsync(set => set.SetProperty(t => t.ConsumedAt, now), cancellationToken);
        }

        await unitOfWork.CommitAsync(cancellationToken);
        return null;
    }

    private static OAuthError NotYours() =>
        new(OAuthError.UnauthorizedClient, "The token was not issued to the authenticated client.");
}
