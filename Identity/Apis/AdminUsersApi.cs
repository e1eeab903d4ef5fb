using Platform.Identity.Authentication;

namespace Platform.Identity.Apis;

public static class AdminUsersApi
{
    public static IEndpointRouteBuilder MapAdminUsersApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/admin/users").WithTags("Admin").RequireAuthorization(Authorization.AdminPolicy)
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        group.MapGet("/", ListUsers).WithSummary("Find users by e-mail or display name, a page at a time");
        group.MapGet("/{id:guid}", GetUser).WithSummary("A user with roles and sessions").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id:guid}/deactivate", AdminUserChangesApi.Deactivate)
            .WithSummary("Deactivate a user: sessions end, UserDeactivated reaches every resource server (idempotent); "
                + "409 for the caller itself or the last active operator")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapBulkDeactivation(app.ServiceProvider.GetRequiredService<IOptions<IdentityServiceOptions>>().Value.Admin);
        group.MapPost("/{id:guid}/reactivate", AdminUserChangesApi.Reactivate).WithSummary("Reactivate a user; tokens from before stay refused")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/{id:guid}/roles", AdminUserChangesApi.SetRoles)
            .WithSummary("Replace a user's roles; removing one ends the user's sessions (SessionRevoked roles-changed); "
                + "409 for the caller's own admin role or the last active operator")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
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

    internal static ProblemHttpResult UserNotFound() =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "No user with this id.");
}

public sealed record PageOf<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total);

public sealed record UserSummary(Guid Id, string Email, string? DisplayName, bool IsActive, DateTimeOffset CreatedAt, DateTimeOffset? DeactivatedAt);

public sealed record SessionSummary(Guid Id, DateTimeOffset CreatedAt, DateTimeOffset LastSeenAt, DateTimeOffset? RevokedAt);

public sealed record UserDetails(
    Guid Id, string Email, string? DisplayName, string[] Roles, bool IsActive, DateTimeOffset? DeactivatedAt, DateTimeOffset CreatedAt,
    IReadOnlyList<SessionSummary> Sessions);
