using Platform.Identity.Accounts;

namespace Platform.Identity.Apis;

/// <summary>
/// <c>POST /admin/users/deactivate</c>: many users at once, for an offboarding. The list is checked whole before
/// anything changes, then applied in one transaction through <see cref="Deactivation"/>, the write path of the
/// single-user route: either every named user is inactive afterwards, or nothing changed.
/// </summary>
public static class AdminBulkDeactivationApi
{
    /// <summary>How many offending ids a problem names; the count says how many there are in all.</summary>
    public const int MaxIdsShown = 20;

    /// <summary>A generous size per id (a quoted GUID and a separator are 39 bytes) leaves room for indented JSON.</summary>
    private const int BytesPerId = 64;

    public static RouteGroupBuilder MapBulkDeactivation(this RouteGroupBuilder group, AdminOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        group.MapPost("/deactivate", DeactivateMany)
            .WithSummary("Deactivate many users in one transaction: every named user's sessions end and UserDeactivated reaches every "
                + "resource server; 400 naming unknown or duplicate ids, 409 for the caller itself or the last active operator")
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(4096 + (long)options.MaxBulkDeactivation * BytesPerId))
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        return group;
    }

    public static async Task<Results<Ok<BulkDeactivation>, ValidationProblem, ProblemHttpResult>> DeactivateMany(
        BulkDeactivateRequest request, ClaimsPrincipal principal, Deactivation deactivation, IOptions<IdentityServiceOptions> options,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var reason = AdminUserChangesApi.DeactivationReason(errors, request.Reason);
        var ids = request.Ids ?? [];
        var max = options.Value.Admin.MaxBulkDeactivation;
        if (ids.Length == 0)
            errors["ids"] = ["'ids' must name at least one user."];
        else if (ids.Length > max)
            errors["ids"] = [$"'ids' names {ids.Length} users; at most {max} per request (Identity:Admin:MaxBulkDeactivation)."];
        else if (ids.GroupBy(id => id).Where(g => g.Count() > 1).Select(g => g.Key).ToList() is { Count: > 0 } duplicates)
            errors["ids"] = [Naming("'ids' names these users more than once", duplicates)];
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors);

        var outcome = await deactivation.DeactivateAsync(ids, principal.UserId(), principal.SessionId(), reason, cancellationToken);
        return outcome switch
        {
            DeactivationOutcome.Done done => TypedResults.Ok(new BulkDeactivation(done.Deactivated, done.AlreadyInactive, done.Events)),
            DeactivationOutcome.Unknown unknown => TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["ids"] = [Naming("No user has these ids; nothing was deactivated", unknown.UserIds)],
            }),
            _ => AdminUserChangesApi.Refused(outcome),
        };
    }

    private static string Naming(string what, IReadOnlyList<Guid> ids)
    {
        var shown = string.Join(", ", ids.Take(MaxIdsShown));
        return ids.Count <= MaxIdsShown ? $"{what} ({ids.Count}): {shown}." : $"{what} ({ids.Count}): {shown} and {ids.Count - MaxIdsShown} more.";
    }
}

public sealed record BulkDeactivateRequest(Guid[]? Ids, string? Reason);

/// <summary>
/// Every id of the request, in its order, in one of the two lists; <paramref name="Events"/> names the
/// <see cref="UserDeactivated"/> of each deactivated user, in the same order, for <c>GET /admin/revocations/{eventId}</c>.
/// </summary>
public sealed record BulkDeactivation(IReadOnlyList<Guid> Deactivated, IReadOnlyList<Guid> AlreadyInactive, IReadOnlyList<Guid> Events);
