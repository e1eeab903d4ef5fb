using Microsoft.AspNetCore.Mvc;
using Platform.Identity.Accounts;
using Platform.Identity.Sessions;

namespace Platform.Identity.Apis;

/// <summary>The operator routes that change a user: deactivation, reactivation and roles, mapped by <see cref="AdminUsersApi"/>.</summary>
public static class AdminUserChangesApi
{
    /// <summary>Idempotent: deactivating an inactive user changes nothing and publishes nothing.</summary>
    public static async Task<Results<NoContent, ProblemHttpResult, ValidationProblem>> Deactivate(
        Guid id, [FromBody(EmptyBodyBehavior = Microsoft.AspNetCore.Mvc.ModelBinding.EmptyBodyBehavior.Allow)] DeactivateRequest? request,
        ClaimsPrincipal principal, IdentityDb db, UnitOfWork unitOfWork, SessionService sessions, TimeProvider time, CancellationToken cancellationToken)
    {
        var reason = string.IsNullOrWhiteSpace(request?.Reason) ? null : request.Reason.Trim();
        if (reason is { Length: > 500 })
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["reason"] = ["'reason' must be at most 500 characters."] });

        await using var transaction = await unitOfWork.BeginAsync(cancellationToken);
        // Row lock: two operators deactivating at once must not both publish.
        var user = await db.Users.FromSql($"SELECT * FROM \"AspNetUsers\" WHERE \"Id\" = {id} FOR UPDATE").SingleOrDefaultAsync(cancellationToken);
        if (user is null)
            return AdminUsersApi.UserNotFound();
        var now = time.GetUtcNow();
        if (user.IsActive)
        {
            user.IsActive = false;
            user.DeactivatedAt = now;
            await sessions.RevokeAllOnDeactivationAsync(user.Id, cancellationToken);
            unitOfWork.Enqueue(new UserDeactivated(user.Id, now, reason), now);
        }

        db.AuditRecords.Add(AuditRecord.Of(principal.UserId(), "deactivate", now, user.Id, reason: reason));
        await unitOfWork.CommitAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Reactivate(
        Guid id, ClaimsPrincipal principal, IdentityDb db, TimeProvider time, CancellationToken cancellationToken)
    {
        var user = await db.Users.FindAsync([id], cancellationToken);
        if (user is null)
            return AdminUsersApi.UserNotFound();
        var now = time.GetUtcNow();
        user.IsActive = true;
        user.AccessFailedCount = 0;
        user.LockoutEnd = null;
        db.AuditRecords.Add(AuditRecord.Of(principal.UserId(), "reactivate", now, user.Id));
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>
    /// Removing any role ends the user's sessions, each announced, in the same transaction: the role is in the user's
    /// access tokens, so a demoted operator would otherwise stay one until they expire, long enough to re-promote itself.
    /// </summary>
    public static async Task<Results<NoContent, ProblemHttpResult, ValidationProblem>> SetRoles(
        Guid id, SetRolesRequest request, ClaimsPrincipal principal, IdentityDb db, UnitOfWork unitOfWork, UserManager<User> users,
        SessionService sessions, TimeProvider time, CancellationToken cancellationToken)
    {
        if (request.Roles is null || request.Roles.Length > 20 || request.Roles.Any(r => r is null || !Roles.Known.Contains(r)))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["roles"] = [$"Roles must be a list drawn from: {string.Join(", ", Roles.Known)}."] });

        await using var transaction = await unitOfWork.BeginAsync(cancellationToken);
        var user = await users.FindByIdAsync(id.ToString());
        if (user is null)
            return AdminUsersApi.UserNotFound();
        var current = await users.GetRolesAsync(user);
        var wanted = request.Roles.Distinct(StringComparer.Ordinal).ToList();
        var removing = current.Except(wanted).ToList();
        var removed = await users.RemoveFromRolesAsync(user, removing);
        var added = await users.AddToRolesAsync(user, wanted.Except(current));
        if (!removed.Succeeded || !added.Succeeded)
            throw new InvalidOperationException("Changing roles failed: " + string.Join(" ", removed.Errors.Concat(added.Errors).Select(e => e.Description)));
        if (removing.Count > 0)
        {
            // A new stamp also invalidates what is bound to the old one (sessions, reset tokens) while logins are in flight.
            await users.UpdateSecurityStampAsync(user);
            await sessions.RevokeAllAsync(user.Id, SessionRevokedReasons.RolesChanged, keep: null, cancellationToken);
        }

        db.AuditRecords.Add(AuditRecord.Of(principal.UserId(), "set-roles", time.GetUtcNow(), user.Id, target: string.Join(",", wanted)));
        await unitOfWork.CommitAsync(cancellationToken);
        return TypedResults.NoContent();
    }
}

public sealed record DeactivateRequest(string? Reason);

public sealed record SetRolesRequest(string[]? Roles);
