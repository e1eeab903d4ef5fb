using Platform.Identity.Accounts;
using Platform.Identity.Sessions;
using Platform.Identity.Tokens;

namespace Platform.Identity.Apis;

public static class AuthApi
{
    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/auth");
        group.MapPost("/login", Login).AllowAnonymous().RequireRateLimiting(RateLimiting.PasswordPerClient)
            .WithSummary("Sign in: an access token and a refresh token").WithDescription("One 401 answer for every refused sign-in, whatever the cause.")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status429TooManyRequests);
        group.MapPost("/refresh", Refresh).AllowAnonymous().RequireRateLimiting(RateLimiting.PerClient)
            .WithSummary("Trade a refresh token for new tokens").WithDescription("Single use: presenting a used refresh token again revokes its session.")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status429TooManyRequests);
        group.MapPost("/logout", Logout).RequireAuthorization().WithSummary("End the token's session").ProducesProblem(StatusCodes.Status401Unauthorized);
        return app;
    }

    public static async Task<Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> Login(
        LoginRequest request, LoginService logins, SessionService sessions, TokenIssuer issuer, HttpContext context, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        Validation.Required(errors, "email", request.Email, Validation.MaxEmailLength);
        Validation.Required(errors, "password", request.Password, Validation.MaxPasswordLength);
        Validation.Resource(errors, request.Resource, issuer);
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors);

        // One answer for unknown, wrong password, locked out and deactivated: nothing to enumerate accounts with.
        var user = await logins.CheckAsync(request.Email!, request.Password!, ClientNetwork.Of(context));
        var tokens = user is null ? null : await sessions.StartAsync(user, request.Resource, cancellationToken);
        if (tokens is null)
            return Validation.Unauthorized("The e-mail or password is incorrect, or the account cannot sign in.");
        return Tokens(context, tokens);
    }

    public static async Task<Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> Refresh(
        RefreshRequest request, SessionService sessions, TokenIssuer issuer, HttpContext context, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        Validation.Required(errors, "refreshToken", request.RefreshToken, Validation.MaxTokenLength);
        Validation.Resource(errors, request.Resource, issuer);
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors);
        var tokens = await sessions.RefreshAsync(request.RefreshToken!, request.Resource, cancellationToken);
        return tokens is null ? Validation.Unauthorized("The refresh token is invalid, expired or already used.") : Tokens(context, tokens);
    }

    public static async Task<NoContent> Logout(
        ClaimsPrincipal principal, IdentityDb db, UnitOfWork unitOfWork, SessionService sessions, TimeProvider time, CancellationToken cancellationToken)
    {
        await using var transaction = await unitOfWork.BeginAsync(cancellationToken);
        var session = await db.Sessions.FindAsync([principal.SessionId()], cancellationToken);
        if (session is not null)
            sessions.Revoke(session, SessionRevokedReasons.Logout, time.GetUtcNow());

        await unitOfWork.CommitAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    private static Ok<TokenResponse> Tokens(HttpContext context, IssuedTokens tokens)
    {
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.Pragma = "no-cache";
        return TypedResults.Ok(new TokenResponse(tokens.AccessToken, "Bearer", tokens.ExpiresIn, tokens.RefreshToken));
    }
}

/// <param name="Resource">RFC 8707 resource indicator: the audience the access token is for (e.g. <c>identity</c>); none gives the default audiences.</param>
public sealed record LoginRequest(string? Email, string? Password, string? Resource = null);

/// <param name="Resource">Asked for on each refresh, as at login; none gives the default audiences.</param>
public sealed record RefreshRequest(string? RefreshToken, string? Resource = null);

public sealed record TokenResponse(string AccessToken, string TokenType, int ExpiresIn, string RefreshToken);
