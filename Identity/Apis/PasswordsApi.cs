using Platform.Identity.Accounts;
using Platform.Identity.Sessions;
using Platform.Identity.SharedSignals;

namespace Platform.Identity.Apis;

/// <summary>Password change, forgotten password and reset: the routes that end sessions because a credential changed.</summary>
public static class PasswordsApi
{
    public static IEndpointRouteBuilder MapPasswordsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/auth/password");
        group.MapPost("/change", ChangePassword).RequireAuthorization().RequireRateLimiting(RateLimiting.PasswordPerClient)
            .WithSummary("Change the password; the other sessions end")
            .WithDescription("Wrong current passwords count towards the lockout of the account from the caller's network; once that network is locked out, the calling session ends.")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status429TooManyRequests);
        group.MapPost("/forgot", ForgotPassword).AllowAnonymous().RequireRateLimiting(RateLimiting.PerClient)
            .WithSummary("Ask for a password reset; 202 whether or not the account exists").ProducesProblem(StatusCodes.Status429TooManyRequests);
        group.MapPost("/reset", ResetPassword).AllowAnonymous().RequireRateLimiting(RateLimiting.PasswordPerClient)
            .WithSummary("Set a new password with a reset token; every session ends").ProducesProblem(StatusCodes.Status429TooManyRequests);
        return app;
    }

    /// <summary>
    /// Wrong current passwords count towards the caller's network's lockout like wrong logins, so a stolen access token
    /// is no unlimited guessing oracle. Once that network is locked out the guess is not checked, and the calling
    /// session ends.
    /// </summary>
    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> ChangePassword(
        ChangePasswordRequest request, ClaimsPrincipal principal, UnitOfWork unitOfWork, UserManager<User> users, SessionService sessions,
        LoginService logins, IdentityDb db, TimeProvider time, HttpContext context, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        Validation.Required(errors, "currentPassword", request.CurrentPassword, Validation.MaxPasswordLength);
        Validation.Required(errors, "newPassword", request.NewPassword, Validation.MaxPasswordLength);
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors);
        await using var transaction = await unitOfWork.BeginAsync(cancellationToken);
        // Held until the commit: a login that checked the old password either opened its session before (and it ends
        // below) or finds the new stamp and is refused.
        var user = await db.LockForChangeAsync(principal.UserId(), cancellationToken);
        if (user is null)
            return Validation.Unauthorized("The account no longer exists.");

        var network = ClientNetwork.Of(context);
        if (await logins.IsLockedOutAsync(user, network))
        {
            // Same cost as a checked guess, so the answer's timing does not say whether the guess was looked at.
            logins.HashDummy(request.CurrentPassword!);
            return await EndLockedOutSessionAsync(principal, unitOfWork, sessions, db, time, cancellationToken);
        }

        var result = await users.ChangePasswordAsync(user, request.CurrentPassword!, request.NewPassword!);
        if (result.Errors.Any(e => e.Code is "PasswordMismatch"))
        {
            // Nothing else changed in this transaction: committing it keeps the counted failure and any revocation.
            if (await logins.RecordFailureAsync(user, network))
                return await EndLockedOutSessionAsync(principal, unitOfWork, sessions, db, time, cancellationToken);
            await unitOfWork.CommitAsync(cancellationToken);
        }

        if (!result.Succeeded)
            return TypedResults.ValidationProblem(PasswordErrors(result, "newPassword"));
        // The new password renewed the stamp: the calling session moves to it, every other one ends.
        await sessions.RebindAsync(principal.SessionId(), user, cancellationToken);
        await sessions.RevokeAllAsync(user.Id, SessionRevokedReasons.PasswordChange, keep: principal.SessionId(), cancellationToken);
        unitOfWork.Signal(SecurityEvent.PasswordChanged(user.Id, time.GetUtcNow()));
        await unitOfWork.CommitAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>Revokes the calling session of a locked-out account and answers as to any refused credential.</summary>
    private static async Task<ProblemHttpResult> EndLockedOutSessionAsync(
        ClaimsPrincipal principal, UnitOfWork unitOfWork, SessionService sessions, IdentityDb db, TimeProvider time, CancellationToken cancellationToken)
    {
        var session = await db.Sessions.FindAsync([principal.SessionId()], cancellationToken);
        if (session is not null)
            sessions.Revoke(session, SessionRevokedReasons.LockedOut, time.GetUtcNow());
        await unitOfWork.CommitAsync(cancellationToken);
        return Validation.Unauthorized("The password is incorrect, or the account cannot change it now; sign in again.");
    }

    /// <summary>
    /// Always 202, after the same work for every address, so neither the answer nor its time tells whether the address
    /// has an account. The reset link goes by mail only; past a few requests per address nothing more is sent.
    /// </summary>
    public static async Task<Results<Accepted, ValidationProblem>> ForgotPassword(
        ForgotPasswordRequest request, PasswordResetRequests resets, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        Validation.Required(errors, "email", request.Email, Validation.MaxEmailLength);
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors);
        await resets.RequestAsync(request.Email!, cancellationToken);
        return TypedResults.Accepted((string?)null);
    }

    /// <summary>
    /// One answer for a wrong, used or expired token, an unknown address and a deactivated account, after the same token
    /// check, so the answer tells nothing about which addresses have accounts. Only a valid token learns why a new
    /// password is refused.
    /// </summary>
    public static async Task<Results<NoContent, ValidationProblem>> ResetPassword(
        ResetPasswordRequest request, PasswordResetRequests resets, UserManager<User> users, UnitOfWork unitOfWork, SessionService sessions,
        LoginService logins, IdentityDb db, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        Validation.Required(errors, "email", request.Email, Validation.MaxEmailLength);
        Validation.Required(errors, "token", request.Token, Validation.MaxTokenLength);
        Validation.Required(errors, "newPassword", request.NewPassword, Validation.MaxPasswordLength);
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors);
        var user = await resets.FindRedeemableAsync(request.Email!, request.Token!);
        if (user is null)
            return InvalidResetToken();

        await using var transaction = await unitOfWork.BeginAsync(cancellationToken);
        // Serialised with logins, as a password change is; the user is re-read under the lock.
        await db.LockForChangeAsync(user.Id, cancellationToken);
        var result = await users.ResetPasswordAsync(user, request.Token!, request.NewPassword!);
        if (result.Errors.Any(e => e.Code is "InvalidToken"))
            return InvalidResetToken();
        if (!result.Succeeded)
            return TypedResults.ValidationProblem(PasswordErrors(result, "newPassword"));
        // Guesses were against the old password: every network starts afresh with the new one.
        await logins.ClearFailuresAsync(user.Id, cancellationToken);
        await sessions.RevokeAllAsync(user.Id, SessionRevokedReasons.PasswordReset, keep: null, cancellationToken);
        unitOfWork.Signal(SecurityEvent.PasswordChanged(user.Id, time.GetUtcNow()));
        await unitOfWork.CommitAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    private static ValidationProblem InvalidResetToken() =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["token"] = ["The reset token is invalid or expired."] });

    private static Dictionary<string, string[]> PasswordErrors(IdentityResult result, string field) => new()
    {
        [result.Errors.Any(e => e.Code is "InvalidToken") ? "token" : result.Errors.Any(e => e.Code is "PasswordMismatch") ? "currentPassword" : field] =
            result.Errors.Select(e => e.Description).ToArray(),
    };
}

public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);

public sealed record ForgotPasswordRequest(string? Email);

public sealed record ResetPasswordRequest(string? Email, string? Token, string? NewPassword);
