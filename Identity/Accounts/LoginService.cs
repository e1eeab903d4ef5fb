using Platform.Identity.Diagnostics;

namespace Platform.Identity.Accounts;

/// <summary>
/// Checks credentials so that unknown, wrong-password, locked-out and deactivated accounts all look the same
/// from outside: every path hashes one password, and all answer null.
/// </summary>
/// <remarks>
/// Failures are counted in one SQL statement each rather than through <see cref="UserManager{TUser}.AccessFailedAsync"/>:
/// that reads the count, adds one in memory and writes the row back, so parallel guesses overwrite each other's count
/// (or lose to the concurrency stamp) and a burst of guesses counts as about one.
/// </remarks>
public sealed class LoginService(UserManager<User> users, IPasswordHasher<User> hasher, IdentityDb db, IOptions<IdentityOptions> identity, IdentityMetrics metrics)
{
    private static readonly User DummyUser = new() { Id = Guid.Empty };
    private static string? _dummyHash;

    public async Task<User?> CheckAsync(string email, string password)
    {
        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            HashDummy(password);
            return Failed(LoginFailureReasons.UnknownUser);
        }

        if (await users.IsLockedOutAsync(user))
        {
            hasher.VerifyHashedPassword(user, user.PasswordHash ?? _dummyHash ?? "", password);
            return Failed(LoginFailureReasons.LockedOut);
        }

        if (!await users.CheckPasswordAsync(user, password))
        {
            await RecordFailureAsync(user);
            return Failed(LoginFailureReasons.WrongPassword);
        }

        if (!user.IsActive)
            return Failed(LoginFailureReasons.Deactivated);
        // A parallel guess may have locked the account while this password was being checked: the lock wins.
        if (!await ResetFailuresUnlessLockedAsync(user))
            return Failed(LoginFailureReasons.LockedOut);
        return user;
    }

    /// <summary>
    /// Counts one wrong password for <paramref name="user"/> and locks the account when the count reaches the
    /// threshold. True when the account is locked out now.
    /// </summary>
    public async Task<bool> RecordFailureAsync(User user)
    {
        var lockout = identity.Value.Lockout;
        // UserManager judges lockout on the system clock, so it is set on that clock too.
        var lockoutEnd = DateTimeOffset.UtcNow + lockout.DefaultLockoutTimeSpan;
        // A new stamp makes any update written from an entity read before this failure fail instead of restoring the
        // old count or lockout.
        var stamp = Guid.NewGuid().ToString();
        var locked = await db.Database.SqlQuery<DateTimeOffset?>($"""
            UPDATE "AspNetUsers" SET
                "LockoutEnd" = CASE WHEN "AccessFailedCount" + 1 >= {lockout.MaxFailedAccessAttempts} THEN {lockoutEnd} ELSE "LockoutEnd" END,
                "AccessFailedCount" = CASE WHEN "AccessFailedCount" + 1 >= {lockout.MaxFailedAccessAttempts} THEN 0 ELSE "AccessFailedCount" + 1 END,
                "ConcurrencyStamp" = {stamp}
            WHERE "Id" = {user.Id} AND "LockoutEnabled"
            RETURNING "LockoutEnd" AS "Value"
            """).ToListAsync();
        return locked is [{ } end] && end > DateTimeOffset.UtcNow;
    }

    /// <summary>Hashes a password against a stand-in, so a refusal that needs no hash costs what one that does costs.</summary>
    public void HashDummy(string password)
    {
        _dummyHash ??= hasher.HashPassword(DummyUser, "dummy password for timing equality");
        hasher.VerifyHashedPassword(DummyUser, _dummyHash, password);
    }

    /// <summary>Clears the failure count after a right password; false, and nothing changed, when the account is locked out by now.</summary>
    private async Task<bool> ResetFailuresUnlessLockedAsync(User user)
    {
        var now = DateTimeOffset.UtcNow;
        var open = await db.Database.ExecuteSqlAsync($"""
            UPDATE "AspNetUsers" SET "AccessFailedCount" = 0
            WHERE "Id" = {user.Id} AND ("LockoutEnd" IS NULL OR "LockoutEnd" <= {now} OR NOT "LockoutEnabled")
            """);
        return open == 1;
    }

    private User? Failed(string reason)
    {
        metrics.LoginFailed(reason);
        return null;
    }
}
