using Microsoft.AspNetCore.Mvc;
using Platform.Identity.Accounts;
using Platform.Identity.Authentication;
using Platform.Identity.Sessions;

namespace Platform.Identity.Apis;

public static class AdminUsersApi
{
    public static IEndpointRouteBuilder MapAdminUsersApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/admin/users").WithTags("Admin").RequireAuthorization(Authorization.AdminPolicy)
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        group.MapGet("/", ListUsers).WithSummary("Find users by e-mail or display name, a page at a time");
        group.MapGet("/{id:guid}", GetUser).WithSummary("A user with roles and sessions").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id:guid}/deactivate", Deactivate)
            .WithSummary("Deactivate a user: sessions end, UserDeactivated reaches every resource server (idempotent)")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id:guid}/reactivate", Reactivate).WithSummary("Reactivate a user; tokens from before stay refused")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/{id:guid}/roles", SetRoles).WithSummary("Replace a user's roles").ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<Results<Ok<PageOf<UserSummary>>, ValidationProblem>> ListUsers(
        IdentityDb db, string? search, int? page, int? pageSize, CancellationToken cancellationToken)
    {
        var (number, size) = (page ?? 1, pageSize ?? 20);
        var errors = Platform.ServiceDefaults.Http.Paging.Validate(number, size, maxPageSize: 100);
        if (search is { Length: > Validation.MaxEmailLength })
            errors["search"] = [$"'search' must be at most {Validation.MaxEmailLength} characters."];
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors);
        var query = db.Users.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search))
        {
            var pattern = "%" + search.Trim().Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
            query = query.Where(u => EF.Functions.ILike(u.Email!, pattern) || EF.Functions.ILike(u.DisplayName ?? "", pattern));
        }

        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderBy(u => u.Email).Skip(Platform.ServiceDefaults.Http.Paging.Offset(number, size)).Take(size)
            .Select(u => new UserSummary(u.Id, u.Email!, u.DisplayName, u.IsActive, u.CreatedAt, u.DeactivatedAt))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new PageOf<UserSummary>(items, number, size, total));
    }

    public static async Task<Results<Ok<UserDetails>, ProblemHttpResult>> GetUser(
        Guid id, IdentityDb db, UserManager<User> users, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(id.ToString());
        if (user is null)
            return UserNotFound();
        var sessions = await db.Sessions.AsNoTracking().Where(s => s.UserId == id).OrderByDescending(s => s.CreatedAt).Take(100)
            .Select(s => new SessionSummary(s.Id, s.CreatedAt, s.LastSeenAt, s.RevokedAt))
            .ToListAsync(cancellationToken);
        var roles = await users.GetRolesAsync(user);
        return TypedResults.Ok(new UserDetails(user.Id, user.Email!, user.DisplayName, roles.ToArray(), user.IsActive, user.DeactivatedAt, user.CreatedAt, sessions));
    }

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
            return UserNotFound();
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
            return UserNotFound();
        var now = time.GetUtcNow();
        user.IsActive = true;
        user.AccessFailedCount = 0;
        user.LockoutEnd = null;
        db.AuditRecords.Add(AuditRecord.Of(principal.UserId(), "reactivate", now, user.Id));
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Results<NoContent, ProblemHttpResult, ValidationProblem>> SetRoles(
        Guid id, SetRolesRequest request, ClaimsPrincipal principal, IdentityDb db, UnitOfWork unitOfWork, UserManager<User> users, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (request.Roles is null || request.Roles.Length > 20 || request.Roles.Any(r => r is null || !Roles.Known.Contains(r)))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["roles"] = [$"Roles must be a list drawn from: {string.Join(", ", Roles.Known)}."] });
        var user = await users.FindByIdAsync(id.ToString());
        if (user is null)
            return UserNotFound();

        await using var transaction = await unitOfWork.BeginAsync(cancellationToken);
        var current = await users.GetRolesAsync(user);
        var wanted = request.Roles.Distinct(StringComparer.Ordinal).ToList();
        var removed = await users.RemoveFromRolesAsync(user, current.Except(wanted));
        var added = await users.AddToRolesAsync(user, wanted.Except(current));
        if (!removed.Succeeded || !added.Succeeded)
            throw new InvalidOperationException("Changing roles failed: " + string.Join(" ", removed.Errors.Concat(added.Errors).Select(e => e.Description)));
        db.AuditRecords.Add(AuditRecord.Of(principal.UserId(), "set-roles", time.GetUtcNow(), user.Id, target: string.Join(",", wanted)));
        await unitOfWork.CommitAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    private static ProblemHttpResult UserNotFound() =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "No user with this id.");
}

public sealed record PageOf<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total);

public sealed record UserSummary(Guid Id, string Email, string? DisplayName, bool IsActive, DateTimeOffset CreatedAt, DateTimeOffset? DeactivatedAt);

public sealed record SessionSummary(Guid Id, DateTimeOffset CreatedAt, DateTimeOffset LastSeenAt, DateTimeOffset? RevokedAt);

public sealed record UserDetails(
    Guid Id, string Email, string? DisplayName, string[] Roles, bool IsActive, DateTimeOffset? DeactivatedAt, DateTimeOffset CreatedAt,
    IReadOnlyList<SessionSummary> Sessions);

public sealed record DeactivateRequest(string? Reason);

public sealed record SetRolesRequest(string[]? Roles);
