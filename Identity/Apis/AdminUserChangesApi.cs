using Microsoft.AspNetCore.Mvc;
using Platform.Identity.Accounts;
using Platform.Identity.Sessions;
using Platform.Identity.SharedSignals;

namespace Platform.Identity.Apis;

/// <summary>
/// The operator routes that change a user: deactivation, reactivation and roles, mapped by <see cref="AdminUsersApi"/>.
/// Each change that can take admin away runs under <see cref="Operators"/>' lock, so at least one active operator
/// always remains and no operator removes itself.
/// </summary>
public static class AdminUserChangesApi
{
    /// <summary>
    /// Idempotent: deactivating an inactive user changes nothing and publishes nothing. A deactivation that publishes
    /// names its <see cref="UserDeactivated"/> in the <see cref="AdminRevocationsApi.EventHeader"/> header.
    /// </summary>
    public static async Task<Results<NoContent, ProblemHttpResult, ValidationProblem>> Deactivate(
        Guid id, [FromBody(EmptyBodyBehavior = Microsoft.AspNetCore.Mvc.ModelBinding.EmptyBodyBehavior.Allow)] DeactivateRequest? request,
        ClaimsPrincipal principal, Deactivation deactivation, HttpResponse response, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var reason = DeactivationReason(errors, request?.Reason);
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors);

        var outcome = await deactivation.DeactivateAsync([id], principal.UserId(), principal.SessionId(), reason, cancellationToken);
        return outcome switch
        {
            DeactivationOutcome.Done done => AdminRevocationsApi.NamingEvent(response, done.Events.Count > 0 ? done.Events[0] : Guid.Empty, TypedResults.NoContent()),
            DeactivationOutcome.Unknown => AdminUsersApi.UserNotFound(),
            _ => Refused(outcome),
        };
    }

    /// <summary>The trimmed reason, null when blank; a reason too long for the audit trail is an error.</summary>
    internal static string? DeactivationReason(Dictionary<string, string[]> errors, string? reason)
    {
        var trimmed = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        if (trimmed is { Length: > Deactivation.MaxReasonLength })
            errors["reason"] = [$"'reason' must be at most {Deactivation.MaxReasonLength} characters."];
        return trimmed;
    }

    /// <summary>The answers a deactivation shares with the other operator changes: 409 for the caller or the last operator, 403 for a caller no longer operator.</summary>
    internal static ProblemHttpResult Refused(DeactivationOutcome outcome) => outcome switch
    {
        DeactivationOutcome.Self => Conflict("An operator cannot deactivate itself; ask another operator."),
        DeactivationOutcome.LastOperator => LastOperator(),
        DeactivationOutcome.NotLiveOperator => NoLongerOperator(),
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome.GetType().Name, "Not a refusal."),
    };

    /// <summary>Also lifts every network's lockout: an operator restoring an account means it to be usable at once.</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> Reactivate(
        Guid id, ClaimsPrincipal principal, IdentityDb db, UnitOfWork unitOfWork, LoginService logins, TimeProvider time, CancellationToken cancellationToken)
    {
        await using var transaction = await unitOfWork.BeginAsync(cancellationToken);
        // Under the row lock, so of two reactivations only one announces the account enabled.
        var user = await db.LockForChangeAsync(id, cancellationToken);
        if (user is null)
            return AdminUsersApi.UserNotFound();
        var now = time.GetUtcNow();
        if (!user.IsActive)
            unitOfWork.Signal(SecurityEvent.AccountEnabled(user.Id, now));
        user.IsActive = true;
        db.AuditRecords.Add(AuditRecord.Of(principal.UserId(), "reactivate", now, user.Id));
        await logins.ClearFailuresAsync(user.Id, cancellationToken);
        await unitOfWork.CommitAsync(cancellationToken);
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
        await db.LockOperatorChangesAsync(cancellationToken);
        // Read under the lock, so a change serialised before this one is seen (and its concurrency stamp with it); the
        // row lock also holds off logins until the new stamp is committed.
        var user = await db.LockForChangeAsync(id, cancellationToken);
        if (user is null)
            return AdminUsersApi.UserNotFound();
        var current = await users.GetRolesAsync(user);
        var wanted = request.Roles.Distinct(StringComparer.Ordinal).ToList();
        var removing = current.Except(wanted).ToList();
        if (removing.Contains(Roles.Admin))
        {
            if (user.Id == principal.UserId())
                return Conflict("An operator cannot remove its own admin role; ask another operator.");
            if (user.IsActive && !await db.HasOtherActiveOperatorAsync(user.Id, cancellationToken))
                return LastOperator();
        }

        if (!await db.IsLiveOperatorAsync(principal.UserId(), principal.SessionId(), cancellationToken))
            return NoLongerOperator();

        var removed = await users.RemoveFromRolesAsync(user, removing);
        var adding = wanted.Except(current).ToList();
        var added = await users.AddToRolesAsync(user, adding);
        if (!removed.Succeeded || !added.Succeeded)
            throw new InvalidOperationException("Changing roles failed: " + string.Join(" ", removed.Errors.Concat(added.Errors).Select(e => e.Description)));
        if (removing.Count > 0)
        {
            // A new stamp also invalidates what is bound to the old one (sessions, reset tokens) while logins are in flight.
            await users.UpdateSecurityStampAsync(user);
            await sessions.RevokeAllAsync(user.Id, SessionRevokedReasons.RolesChanged, keep: null, cancellationToken);
        }

        if (removing.Count > 0 || adding.Count > 0)
            unitOfWork.Signal(SecurityEvent.RolesChanged(user.Id, wanted, time.GetUtcNow()));
        db.AuditRecords.Add(AuditRecord.Of(principal.UserId(), "set-roles", time.GetUtcNow(), user.Id, target: string.Join(",", wanted)));
        await unitOfWork.CommitAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    private static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: detail);

    private static ProblemHttpResult LastOperator() =>
        Conflict("This would leave no active operator; make another user an admin first.");

    private static ProblemHttpResult NoLongerOperator() =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: "The caller is no longer an active operator.");
}

public sealed record DeactivateRequest(string? Reason);

public sealed record SetRolesRequest(string[]? Roles);
