namespace Platform.Identity.Accounts;

/// <summary>
/// Keeps the platform administrable: a change that can take the admin role away from someone (role changes,
/// deactivation) holds one advisory lock for its transaction, so the operators it counts cannot change under it. Row
/// locks would not do: two operators demoting each other each lock a different row and both see the other still there.
/// </summary>
internal static class Operators
{
    // Any constant works, as long as nothing else in the database uses it (KeyRotator and the key ring have their own).
    private const long ChangeLockId = 0x1D_E7_0A_D3_11;

    /// <summary>Serialises operator-affecting changes until the open transaction commits or rolls back.</summary>
    public static async Task LockOperatorChangesAsync(this IdentityDb db, CancellationToken cancellationToken) =>
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({ChangeLockId})", cancellationToken);

    /// <summary>Whether an active operator other than <paramref name="userId"/> remains.</summary>
    public static Task<bool> HasOtherActiveOperatorAsync(this IdentityDb db, Guid userId, CancellationToken cancellationToken) =>
        db.HasActiveOperatorOutsideAsync([userId], cancellationToken);

    /// <summary>Whether an active operator remains who is not one of <paramref name="userIds"/>.</summary>
    public static Task<bool> HasActiveOperatorOutsideAsync(this IdentityDb db, IReadOnlyCollection<Guid> userIds, CancellationToken cancellationToken)
    {
        var ids = userIds as Guid[] ?? [.. userIds];
        return ActiveOperatorIds(db).AnyAsync(id => !ids.Contains(id), cancellationToken);
    }

    /// <summary>
    /// A deactivation's operator checks, in one query since each round trip inside it delays its events: whether it
    /// would leave no active operator (it takes the role from someone among <paramref name="deactivating"/> and none
    /// remains outside <paramref name="userIds"/>), and whether the caller still is an active operator on a live
    /// session (see <see cref="IsLiveOperatorAsync"/>).
    /// </summary>
    public static async Task<(bool LeavesNoOperator, bool CallerIsLive)> CheckDeactivationAsync(this IdentityDb db,
        IReadOnlyCollection<Guid> deactivating, IReadOnlyCollection<Guid> userIds, Guid actorId, Guid actorSessionId, CancellationToken cancellationToken)
    {
        var losing = deactivating as Guid[] ?? [.. deactivating];
        var ids = userIds as Guid[] ?? [.. userIds];
        var operators = OperatorIds(db);
        var activeOperators = ActiveOperatorIds(db);
        // One row, from the admin role; without that role there is no operator at all, and so no live caller.
        var check = await db.Roles.Where(role => role.Name == Roles.Admin)
            .Select(_ => new
            {
                TakesOperator = operators.Any(id => losing.Contains(id)),
                OtherRemains = activeOperators.Any(id => !ids.Contains(id)),
                CallerIsLive = activeOperators.Contains(actorId)
                    && db.Sessions.Any(s => s.Id == actorSessionId && s.UserId == actorId && s.RevokedAt == null),
            })
            .FirstOrDefaultAsync(cancellationToken);
        return check is null ? (false, false) : (check.TakesOperator && !check.OtherRemains, check.CallerIsLive);
    }

    /// <summary>
    /// Whether the caller still is an active operator on a live session. Its token was checked before the lock was
    /// taken; a demotion committed while the request waited would otherwise let it act as an operator once more.
    /// </summary>
    public static Task<bool> IsLiveOperatorAsync(this IdentityDb db, Guid userId, Guid sessionId, CancellationToken cancellationToken)
    {
        // One query, not two: it runs inside every operator change, before its events can leave.
        var operators = ActiveOperatorIds(db);
        return db.Sessions.AnyAsync(s => s.Id == sessionId && s.UserId == userId && s.RevokedAt == null && operators.Contains(userId), cancellationToken);
    }

    private static IQueryable<Guid> OperatorIds(IdentityDb db) =>
        from link in db.UserRoles
        join role in db.Roles on link.RoleId equals role.Id
        where role.Name == Roles.Admin
        select link.UserId;

    private static IQueryable<Guid> ActiveOperatorIds(IdentityDb db) =>
        from id in OperatorIds(db)
        join user in db.Users on id equals user.Id
        where user.IsActive
        select user.Id;
}
