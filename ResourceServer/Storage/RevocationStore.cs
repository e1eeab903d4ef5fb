using Microsoft.EntityFrameworkCore;

namespace Platform.ResourceServer.Storage;

/// <summary>Writes and reads persisted revocations; never used on the request path.</summary>
public sealed class RevocationStore(
    RevocationDbContext db, IOptions<ResourceServerOptions> options, TimeProvider time, RevocationEventBounds bounds)
{
    private TimeSpan Retention => options.Value.RetentionAfterEvent;

    /// <summary>
    /// Inserts or moves forward the revocation of one subject in a single statement, so concurrent and redelivered
    /// events converge on the latest time without a read-modify-write race.
    /// </summary>
    public Task UpsertAsync(string kind, Guid subjectId, Guid userId, DateTimeOffset revokedAt, CancellationToken cancellationToken)
    {
        var at = revokedAt.ToUniversalTime();
        var expiresAt = at + Retention;
        return db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO resource_server_revocations (kind, subject_id, user_id, revoked_at, expires_at)
            VALUES ({kind}, {subjectId}, {userId}, {at}, {expiresAt})
            ON CONFLICT (kind, subject_id) DO UPDATE
            SET revoked_at = GREATEST(resource_server_revocations.revoked_at, EXCLUDED.revoked_at),
                expires_at = GREATEST(resource_server_revocations.expires_at, EXCLUDED.expires_at)
            """, cancellationToken);
    }

    /// <returns>How many unexpired revocations were read (applied to <paramref name="denyList"/> unless refused).</returns>
    /// <remarks>Streamed row by row: a table of a million rows never sits in memory beside the deny-list it fills.</remarks>
    public async Task<int> LoadIntoAsync(DenyList denyList, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var active = db.Revocations.AsNoTracking().Where(r => r.ExpiresAt > now)
            .Select(r => new { IsUser = r.Kind == RevocationKinds.User, r.SubjectId, r.UserId, r.RevokedAt })
            .AsAsyncEnumerable();
        var count = 0;
        await foreach (var revocation in active.WithCancellation(cancellationToken))
        {
            count++;
            // A row dated beyond the skew can only have been stored before such events were refused.
            var kind = revocation.IsUser ? RevocationKinds.User : RevocationKinds.Session;
            if (!bounds.AdmitsTime(kind, revocation.UserId, revocation.RevokedAt, RevocationSources.Table))
                continue;
            if (revocation.IsUser)
                denyList.DeactivateUser(revocation.SubjectId, revocation.RevokedAt);
            else
                denyList.RevokeSession(revocation.SubjectId, revocation.RevokedAt);
        }

        return count;
    }

    /// <summary>Deletes what no valid token can match any more, and rows dated beyond the clock skew, which no honest event is.</summary>
    public Task<int> PurgeExpiredAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var latest = bounds.Latest;
        return db.Revocations.Where(r => r.ExpiresAt <= now || r.RevokedAt > latest).ExecuteDeleteAsync(cancellationToken);
    }
}
