using System.Buffers.Text;
using Platform.Identity.Accounts;
using Platform.Identity.Diagnostics;
using Platform.Identity.Tokens;

namespace Platform.Identity.Sessions;

public sealed record IssuedTokens(string AccessToken, int ExpiresIn, string RefreshToken);

/// <summary>A session a revocation ended, as the UPDATE that ended it reports it.</summary>
internal sealed record EndedSession(Guid Id, Guid UserId);

/// <summary>Sessions, their refresh tokens, and revocations with their events (written to the outbox, not sent).</summary>
public sealed class SessionService(
    IdentityDb db,
    UserManager<User> users,
    TokenIssuer issuer,
    UnitOfWork unitOfWork,
    TimeProvider time,
    IdentityMetrics metrics,
    IOptions<IdentityServiceOptions> options)
{
    /// <summary>
    /// Opens a session for a user whose password was just verified, <paramref name="user"/> as read before that check.
    /// Null means 401: the user was deactivated, or their password, roles or active state changed since it was read (its
    /// security stamp differs), so the password checked may be one that no longer opens anything.
    /// </summary>
    public async Task<IssuedTokens?> StartAsync(User user, string? resource, CancellationToken cancellationToken)
    {
        await using var transaction = await unitOfWork.BeginAsync(cancellationToken);
        // Under this lock no change of the user can commit; one committed before it is seen here.
        var grant = await db.LockForSessionAsync(user.Id, cancellationToken);
        if (grant is not { IsActive: true } || grant.SecurityStamp != user.SecurityStamp)
            return null;

        // Taken under the lock, so the session and its tokens are dated after any change that committed before them.
        var now = time.GetUtcNow();
        var session = new Session
        {
            Id = Guid.CreateVersion7(now),
            UserId = user.Id,
            CreatedAt = now,
            SecurityStamp = grant.SecurityStamp ?? "",
            LastSeenAt = now,
            ExpiresAt = now + options.Value.RefreshTokenLifetime,
        };
        db.Sessions.Add(session);
        var refreshToken = AddRefreshToken(session, now);
        var roles = await users.GetRolesAsync(user);
        await unitOfWork.CommitAsync(cancellationToken);
        var access = issuer.Issue(user.Id, session.Id, roles, resource, now);
        metrics.TokenIssued("login");
        return new IssuedTokens(access.Token, access.ExpiresIn, refreshToken);
    }

    /// <summary>
    /// Rotates a refresh token. Null means 401; a consumed token presented again also revokes its session, and so does
    /// one whose user's password, roles or active state changed since the session began.
    /// </summary>
    public async Task<IssuedTokens?> RefreshAsync(string presented, string? resource, CancellationToken cancellationToken)
    {
        var hash = Hash(presented);
        await using var transaction = await unitOfWork.BeginAsync(cancellationToken);
        var userId = await db.RefreshTokens.Where(t => t.Hash == hash)
            .Join(db.Sessions, t => t.SessionId, s => s.Id, (_, s) => (Guid?)s.UserId).SingleOrDefaultAsync(cancellationToken);
        if (userId is null)
            return null;
        // The user's row first, as every change of the user takes it: a change takes it before the refresh tokens it
        // consumes, so taking it after consuming one here could deadlock with that change.
        var grant = await db.LockForSessionAsync(userId.Value, cancellationToken);
        var now = time.GetUtcNow();
        // The conditional update is the single-use guarantee: of two concurrent refreshes only one consumes the token.
        var consumed = await db.RefreshTokens.Where(t => t.Hash == hash && t.ConsumedAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(t => t.ConsumedAt, now), cancellationToken);
        var token = await db.RefreshTokens.AsNoTracking().SingleAsync(t => t.Hash == hash, cancellationToken);
        var session = await db.Sessions.SingleAsync(s => s.Id == token.SessionId, cancellationToken);
        if (consumed == 0)
        {
            Revoke(session, SessionRevokedReasons.RefreshReuse, now);
            await unitOfWork.CommitAsync(cancellationToken);
            metrics.RefreshReuseDetected();
            return null;
        }

        if (grant is not null && session.SecurityStamp != grant.SecurityStamp)
            Revoke(session, SessionRevokedReasons.CredentialsChanged, now);
        if (session.RevokedAt is not null || session.ExpiresAt <= now || token.ExpiresAt <= now || grant is not { IsActive: true })
        {
            // Committed all the same: the presented token stays consumed.
            await unitOfWork.CommitAsync(cancellationToken);
            return null;
        }

        session.LastSeenAt = now;
        var refreshToken = AddRefreshToken(session, now);
        var user = await users.FindByIdAsync(session.UserId.ToString());
        var roles = await users.GetRolesAsync(user!);
        await unitOfWork.CommitAsync(cancellationToken);
        var access = issuer.Issue(session.UserId, session.Id, roles, resource, now);
        metrics.TokenIssued("refresh");
        return new IssuedTokens(access.Token, access.ExpiresIn, refreshToken);
    }

    /// <summary>
    /// Marks a session revoked and queues its event in the caller's unit of work: the event's id, or null when the
    /// session already was revoked.
    /// </summary>
    public Guid? Revoke(Session session, string reason, DateTimeOffset now)
    {
        if (session.RevokedAt is not null)
            return null;
        MarkRevoked(session, reason, now);
        return Announce(session, now);
    }

    /// <summary>Revokes every open session of a user except <paramref name="keep"/>, announcing each with SessionRevoked.</summary>
    /// <remarks>
    /// Complete only under the user's row lock (<see cref="UserLocks.LockForChangeAsync(IdentityDb, Guid, CancellationToken)"/>):
    /// a session being opened holds that row, so it is either committed before this reads the open sessions or refused
    /// for the new stamp.
    /// </remarks>
    public Task RevokeAllAsync(Guid userId, string reason, Guid? keep, CancellationToken cancellationToken) =>
        RevokeAllAsync([userId], reason, keep, cancellationToken);

    /// <summary>
    /// Revokes every open session of <paramref name="userIds"/> except <paramref name="keep"/>, announcing each with
    /// SessionRevoked, and consumes their refresh tokens, in one statement whatever the number of users; complete only
    /// under their row locks.
    /// </summary>
    /// <remarks>
    /// The UPDATE reports the sessions it ended, so a session ended meanwhile by a logout is neither revoked twice nor
    /// announced twice. One statement rather than two: every round trip inside a deactivation is time before its event
    /// can leave, and on a busy machine each one waits for the scheduler twice.
    /// </remarks>
    public async Task RevokeAllAsync(IReadOnlyCollection<Guid> userIds, string reason, Guid? keep, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var ids = userIds as Guid[] ?? [.. userIds];
        var kept = keep ?? Guid.Empty;
        // Data-modifying parts of a WITH run to completion whether or not the outer query reads them.
        var ended = await db.Database.SqlQuery<EndedSession>($"""
                WITH ended AS (
                    UPDATE "Sessions" SET "RevokedAt" = {now}, "RevokedReason" = {reason}
                    WHERE "UserId" = ANY({ids}) AND "RevokedAt" IS NULL AND "Id" <> {kept}
                    RETURNING "Id", "UserId"),
                consumed AS (
                    UPDATE "RefreshTokens" SET "ConsumedAt" = {now}
                    WHERE "SessionId" IN (SELECT "Id" FROM ended) AND "ConsumedAt" IS NULL)
                SELECT "Id", "UserId" FROM ended
                """)
            .ToListAsync(cancellationToken);
        foreach (var session in ended)
            unitOfWork.Enqueue(new SessionRevoked(session.Id, session.UserId, now, reason), now);
    }

    /// <summary>Binds the session a user changed their own password from to the user's new stamp, so it stays open.</summary>
    public async Task RebindAsync(Guid sessionId, User user, CancellationToken cancellationToken)
    {
        var session = await db.Sessions.SingleOrDefaultAsync(s => s.Id == sessionId && s.UserId == user.Id, cancellationToken);
        if (session is not null)
            session.SecurityStamp = user.SecurityStamp ?? "";
    }

    private static void MarkRevoked(Session session, string reason, DateTimeOffset now)
    {
        session.RevokedAt = now;
        session.RevokedReason = reason;
    }

    private Guid Announce(Session session, DateTimeOffset now) =>
        unitOfWork.Enqueue(new SessionRevoked(session.Id, session.UserId, now, session.RevokedReason!), now).Id;

    private string AddRefreshToken(Session session, DateTimeOffset now)
    {
        var value = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        db.RefreshTokens.Add(new RefreshToken
        {
            Hash = Hash(value),
            SessionId = session.Id,
            CreatedAt = now,
            ExpiresAt = session.ExpiresAt,
        });
        return value;
    }

    /// <summary>How a refresh token is stored and looked up: only its SHA-256 is kept.</summary>
    internal static byte[] Hash(string value) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(value));
}
