namespace Platform.Identity.Accounts;

/// <summary>
/// The user's row is the lock that orders a user's credential changes against the sessions being opened. Whatever
/// changes the password, the roles or the active state takes it for update; opening or refreshing a session takes it
/// shared and re-reads the stamp. A session is therefore committed either before a change (and ended by it) or after
/// it (and bound to the new stamp), never in between.
/// </summary>
/// <remarks>
/// A change takes <c>FOR NO KEY UPDATE</c>, the lock its own UPDATE of the row takes: it excludes the shared lock and
/// other changes, but not the key-share lock a foreign-key check takes, so a statement inserting a row that refers to
/// the user never waits on a change while holding a row the change needs next.
/// </remarks>
internal static class UserLocks
{
    /// <summary>
    /// Locks the user's row for a change until the open transaction ends and returns the user as committed now, even
    /// when an older copy of it was already loaded. Null when the user does not exist.
    /// </summary>
    public static async Task<User?> LockForChangeAsync(this IdentityDb db, Guid userId, CancellationToken cancellationToken)
    {
        var loaded = db.Users.Local.Any(u => u.Id == userId);
        var user = await db.Users.FromSql($"SELECT * FROM \"AspNetUsers\" WHERE \"Id\" = {userId} FOR NO KEY UPDATE").SingleOrDefaultAsync(cancellationToken);
        // A query returns an entity already tracked as it was loaded, not as the row is now.
        if (loaded && user is not null)
            await db.Entry(user).ReloadAsync(cancellationToken);
        return user;
    }

    /// <summary>
    /// Locks the rows of <paramref name="userIds"/> for a change until the open transaction ends, in one statement, and
    /// returns each user's active state as committed now; ids no user has are missing from the answer.
    /// </summary>
    /// <remarks>
    /// Taken in id order, so two changes of overlapping sets of users lock their common rows in the same order and
    /// never deadlock; a change of one user is the same statement with one id.
    /// </remarks>
    public static async Task<List<LockedUser>> LockForChangeAsync(
        this IdentityDb db, IReadOnlyCollection<Guid> userIds, CancellationToken cancellationToken)
    {
        var ids = userIds as Guid[] ?? [.. userIds];
        return await db.Database.SqlQuery<LockedUser>(
                $"SELECT \"Id\", \"IsActive\" FROM \"AspNetUsers\" WHERE \"Id\" = ANY({ids}) ORDER BY \"Id\" FOR NO KEY UPDATE")
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Holds off changes of the user until the open transaction ends and returns what a session depends on, as
    /// committed now. Null when the user does not exist.
    /// </summary>
    public static async Task<SessionGrant?> LockForSessionAsync(this IdentityDb db, Guid userId, CancellationToken cancellationToken) =>
        await db.Database.SqlQuery<SessionGrant>(
                $"SELECT \"IsActive\", \"SecurityStamp\" FROM \"AspNetUsers\" WHERE \"Id\" = {userId} FOR SHARE")
            .SingleOrDefaultAsync(cancellationToken);
}

/// <summary>A user row locked for a change, as committed when the lock was granted.</summary>
internal sealed record LockedUser(Guid Id, bool IsActive);

/// <summary>What may open or keep a session: an active user, and the stamp the session is bound to.</summary>
internal sealed record SessionGrant(bool IsActive, string? SecurityStamp);
