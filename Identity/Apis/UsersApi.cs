namespace Platform.Identity.Apis;

public static class UsersApi
{
    public static IEndpointRouteBuilder MapUsersApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/users");
        group.MapPost("/", SignUp).AllowAnonymous().RequireRateLimiting(RateLimiting.PasswordPerClient)
            .WithSummary("Sign up").ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status429TooManyRequests);
        group.MapGet("/me", GetMe).RequireAuthorization().WithSummary("The signed-in user").ProducesProblem(StatusCodes.Status401Unauthorized);
        return app;
    }

    /// <summary>Only e-mail, password and display name are read: extra fields such as roles bind to nothing.</summary>
    public static async Task<Results<Created<UserCreated>, ValidationProblem, ProblemHttpResult>> SignUp(
        SignUpRequest request, UserManager<User> users, TimeProvider time)
    {
        var errors = new Dictionary<string, string[]>();
        Validation.Email(errors, request.Email);
        Validation.Required(errors, "password", request.Password, Validation.MaxPasswordLength);
        Validation.DisplayName(errors, request.DisplayName);
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors);

        var now = time.GetUtcNow();
        var user = new User
        {
            Id = Guid.CreateVersion7(now),
            UserName = request.Email,
            Email = request.Email,
            DisplayName = string.IsNullOrWhiteSpace(request.DisplayName) ? null : request.DisplayName.Trim(),
            CreatedAt = now,
        };
        IdentityResult result;
        try
        {
            result = await users.CreateAsync(user, request.Password!);
        }
        catch (DbUpdateException)
        {
            return EmailTaken(); // lost a race with a concurrent sign-up: the unique index decided
        }

        if (result.Errors.Any(e => e.Code is "DuplicateEmail" or "DuplicateUserName"))
            return EmailTaken();
        if (!result.Succeeded)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                [result.Errors.Any(e => e.Code.Contains("Email", StringComparison.Ordinal)) ? "email" : "password"] =
                    result.Errors.Select(e => e.Description).ToArray(),
            });
        }

        return TypedResults.Created($"/admin/users/{user.Id}", new UserCreated(user.Id, user.Email!, user.DisplayName, user.CreatedAt));
    }

    public static async Task<Results<Ok<CurrentUser>, ProblemHttpResult>> GetMe(ClaimsPrincipal principal, UserManager<User> users)
    {
        var user = await users.FindByIdAsync(principal.UserId().ToString());
        if (user is null)
            return Validation.Unauthorized("The account no longer exists.");
        var roles = await users.GetRolesAsync(user);
        return TypedResults.Ok(new CurrentUser(user.Id, user.Email!, user.DisplayName, roles.ToArray(), user.CreatedAt));
    }

    private static ProblemHttpResult EmailTaken() =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "E-mail taken", detail: "An account with this e-mail address already exists.");
}

public sealed record SignUpRequest(string? Email, string? Password, string? DisplayName);

public sealed record UserCreated(Guid Id, string Email, string? DisplayName, DateTimeOffset CreatedAt);

public sealed record CurrentUser(Guid Id, string Email, string? DisplayName, string[] Roles, DateTimeOffset CreatedAt);
