using Platform.Identity.Sessions;

namespace Platform.Identity.Accounts;

/// <summary>
/// The one way users are deactivated, one or ten thousand at a time: every user row is locked, every security stamp
/// renewed, every open session ended and announced, one <see cref="UserDeactivated"/> per user that was active and
/// one audit record per user named, all in one transaction. Set-based, so the cost of a large list is a handful of
/// statements rather than a round trip per user.
/// </summary>
/// <remarks>
/// Idempotent per user: one already inactive is audited and otherwise left alone, and publishes nothing. The active
/// state is read under the row lock, so of two requests deactivating the same user at once only one publishes.
/// </remarks>
public sealed class Deactivation(IdentityDb db, UnitOfWork unitOfWork, SessionService sessions, TimeProvider time)
{
    public const int MaxReasonLength = 500;

    private const string Action = "deactivate";

    /// <summary>
    /// Deactivates <paramref name="userIds"/> (distinct) on behalf of the operator <paramref name="actorId"/> calling
    /// from session <paramref name="actorSessionId"/>. Nothing is changed unless the outcome is <see cref="DeactivationOutcome.Done"/>.
    /// </summary>
    public async Task<DeactivationOutcome> DeactivateAsync(
        IReadOnlyList<Guid> userIds, Guid actorId, Guid actorSessionId, string? reason, CancellationToken cancellationToken)
    {
        // An operator locked out by its own hand can only be restored with SQL.
        if (userIds.Contains(actorId))
            return new DeactivationOutcome.Self();

        await using var transaction = await unitOfWork.BeginAsync(cancellationToken);
        await db.LockOperatorChangesAsync(cancellationToken);
        // Row locks: two requests deactivating one user must not both publish, and no login opens a session meanwhile.
        var locked = await db.LockForChangeAsync(userIds, cancellationToken);
        if (locked.Count < userIds.Count)
        {
            var found = locked.Select(u => u.Id).ToHashSet();
            return new DeactivationOutcome.Unknown([.. userIds.Where(id => !found.Contains(id))]);
        }

        var active = locked.Where(u => u.IsActive).Select(u => u.Id).ToArray();
        var (leavesNoOperator, callerIsLive) = await db.CheckDeactivationAsync(active, userIds, actorId, actorSessionId, cancellationToken);
        if (leavesNoOperator)
            return new DeactivationOutcome.LastOperator();
        if (!callerIsLive)
            return new DeactivationOutcome.NotLiveOperator();

        var now = time.GetUtcNow();
        var events = new Dictionary<Guid, Guid>(active.Length);
        if (active.Length > 0)
        {
            // A new stamp for each user: a session opened by a login that checked the password before this commit is
            // refused. gen_random_uuid() runs per row, so no two users share a stamp.
            await db.Users.Where(u => active.Contains(u.Id)).ExecuteUpdateAsync(set => set
                .SetProperty(u => u.IsActive, false)
                .SetProperty(u => u.DeactivatedAt, now)
                .SetProperty(u => u.SecurityStamp, _ => Guid.NewGuid().ToString())
                .SetProperty(u => u.ConcurrencyStamp, _ => Guid.NewGuid().ToString()), cancellationToken);
            // Each ended session is announced too, so resource servers refuse its tokens whatever their issuers' clocks said.
            await sessions.RevokeAllAsync(active, SessionRevokedReasons.Deactivated, keep: null, cancellationToken);
            foreach (var userId in active)
                events[userId] = unitOfWork.Enqueue(new UserDeactivated(userId, now, reason), now).Id;
        }

        await AuditAsync(userIds, actorId, reason, now, cancellationToken);
        await unitOfWork.CommitAsync(cancellationToken);
        var deactivated = userIds.Where(events.ContainsKey).ToList();
        return new DeactivationOutcome.Done(deactivated, [.. userIds.Where(id => !events.ContainsKey(id))], [.. deactivated.Select(id => events[id])]);
    }

    /// <summary>One record per user named, already inactive or not, written in one statement.</summary>
    private async Task AuditAsync(IReadOnlyList<Guid> userIds, Guid actorId, string? reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var records = userIds.Select(id => AuditRecord.Of(actorId, Action, now, id, reason: reason)).ToList();
        var ids = records.Select(r => r.Id).ToArray();
        var targets = records.Select(r => r.TargetUserId!.Value).ToArray();
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO "AuditRecords" ("Id", "At", "ActorId", "Action", "TargetUserId", "Reason")
            SELECT id, {now}, {actorId}, {Action}, target, {reason} FROM unnest({ids}, {targets}) AS row(id, target)
            """, cancellationToken);
    }
}

/// <summary>What a deactivation request came to; only <see cref="Done"/> changed anything.</summary>
public abstract record DeactivationOutcome
{
    private DeactivationOutcome()
    {
    }

    /// <summary>
    /// Applied: who was deactivated now, and who already was inactive (audited, nothing else); <paramref name="Events"/>
    /// holds the id of each <see cref="UserDeactivated"/>, in the order of <paramref name="Deactivated"/>.
    /// </summary>
    public sealed record Done(IReadOnlyList<Guid> Deactivated, IReadOnlyList<Guid> AlreadyInactive, IReadOnlyList<Guid> Events) : DeactivationOutcome;

    /// <summary>Ids no user has.</summary>
    public sealed record Unknown(IReadOnlyList<Guid> UserIds) : DeactivationOutcome;

    /// <summary>The caller is among the users.</summary>
    public sealed record Self : DeactivationOutcome;

    /// <summary>No active operator would remain.</summary>
    public sealed record LastOperator : DeactivationOutcome;

    /// <summary>The caller was demoted, deactivated or logged out while the request waited for the lock.</summary>
    public sealed record NotLiveOperator : DeactivationOutcome;
}
