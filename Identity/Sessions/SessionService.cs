using System.Buffers.Text;
using Platform.Identity.Diagnostics;
using Platform.Identity.Tokens;

namespace Platform.Identity.Sessions;

public sealed record IssuedTokens(string AccessToken, int ExpiresIn, string RefreshToken);

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
    public async Task<IssuedTokens> StartAsync(User user, string? resource, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var session = new Session
        {
            Id = Guid.CreateVersion7(now),
            UserId = user.Id,
            CreatedAt = now,
            LastSeenAt = now,
            ExpiresAt = now + options.Value.RefreshTokenLifetime,
        };
        db.Sessions.Add(session);
        var refreshToken = AddRefreshToken(session, now);
        await db.SaveChangesAsync(cancellationToken);
        var access = issuer.Issue(user.Id, session.Id, await users.GetRolesAsync(user), resource);
        metrics.TokenIssued("login");
        return new IssuedTokens(access.Token, access.ExpiresIn, refreshToken);
    }

    /// <summary>Rotates a refresh token. Null means 401; a consumed token presented again also revokes its session.</summary>
    public async Task<IssuedTokens?> RefreshAsync(string presented, string? resource, CancellationToken cancellationToken)
    {
        var hash = Hash(presented);
        var now = time.GetUtcNow();
        await using var transaction = await unitOfWork.BeginAsync(cancellationToken);
        // The conditional update is the single-use guarantee: of two concurrent refreshes only one consumes the token.
        var consumed = await db.RefreshTokens.Where(t => t.Hash == hash && t.ConsumedAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(t => t.ConsumedAt, now), cancellationToken);
        var token = await db.RefreshTokens.AsNoTracking().SingleOrDefaultAsync(t => t.Hash == hash, cancellationToken);
        if (token is null)
            return null;
        var session = await db.Sessions.SingleAsync(s => s.Id == token.SessionId, cancellationToken);
        if (consumed == 0)
        {
            Revoke(session, SessionRevokedReasons.RefreshReuse, now);
            await unitOfWork.CommitAsync(cancellationToken);
            metrics.RefreshReuseDetected();
            return null;
        }

        var user = await users.FindByIdAsync(session.UserId.ToString());
        if (session.RevokedAt is not null || session.ExpiresAt <= now || token.ExpiresAt <= now || user is not { IsActive: true })
        {
            // Committed all the same: the presented token stays consumed.
            await unitOfWork.CommitAsync(cancellationToken);
            return null;
        }

        session.LastSeenAt = now;
        var refreshToken = AddRefreshToken(session, now);
        await unitOfWork.CommitAsync(cancellationToken);
        var access = issuer.Issue(user.Id, session.Id, await users.GetRolesAsync(user), resource);
        metrics.TokenIssued("refresh");
        return new IssuedTokens(access.Token, access.ExpiresIn, refreshToken);
    }

    /// <summary>Marks a session revoked and queues its event in the caller's unit of work. False when it already was.</summary>
    public bool Revoke(Session session, string reason, DateTimeOffset now)
    {
        if (session.RevokedAt is not null)
            return false;
        MarkRevoked(session, reason, now);
        Announce(session, now);
        return true;
    }

    /// <summary>Revokes every open session of a user except <paramref name="keep"/>, announcing each with SessionRevoked.</summary>
    public async Task RevokeAllAsync(Guid userId, string reason, Guid? keep, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var session in await RevokeOpenAsync(userId, reason, keep, now, cancellationToken))
            Announce(session, now);
    }

    /// <summary>Revokes every open session of a user being deactivated, without one event each: UserDeactivated covers them.</summary>
    public async Task RevokeAllOnDeactivationAsync(Guid userId, CancellationToken cancellationToken) =>
        await RevokeOpenAsync(userId, SessionRevokedReasons.Deactivated, keep: null, time.GetUtcNow(), cancellationToken);

    private async Task<List<Session>> RevokeOpenAsync(Guid userId, string reason, Guid? keep, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var open = await db.Sessions.Where(s => s.UserId == userId && s.RevokedAt == null && s.Id != keep).ToListAsync(cancellationToken);
        foreach (var session in open)
            MarkRevoked(session, reason, now);

        var sessionIds = open.Select(s => s.Id).ToList();
        await db.RefreshTokens.Where(t => sessionIds.Contains(t.SessionId) && t.ConsumedAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(t => t.ConsumedAt, now), cancellationToken);
        return open;
    }

    private static void MarkRevoked(Session session, string reason, DateTimeOffset now)
    {
        session.RevokedAt = now;
        session.RevokedReason = reason;
    }

    private void Announce(Session session, DateTimeOffset now) =>
        unitOfWork.Enqueue(new SessionRevoked(session.Id, session.UserId, now, session.RevokedReason!), now);

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

    private static byte[] Hash(string value) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(value));
}
