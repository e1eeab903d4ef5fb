using Platform.Identity.Diagnostics;

namespace Platform.Identity.Accounts;

/// <summary>
/// Checks credentials so that unknown, wrong-password, locked-out and deactivated accounts all look the same
/// from outside: every path hashes one password, and all answer null.
/// </summary>
/// <remarks>
/// Wrong passwords lock an account out of one client network (<see cref="ClientNetwork"/>), never out of everywhere:
/// anyone who knows an e-mail could otherwise keep its owner, an operator included, from signing in. The owner's
/// right password from another network still signs in. The counts live in <see cref="LoginThrottle"/> rows shared by
/// every instance, each failure counted in one SQL statement: a read, add one and write back would let parallel
/// guesses overwrite each other's count, so a burst of guesses would count as about one. Times are the database's,
/// so every instance judges a lock on the same clock. AspNetUsers' own lockout columns are not used.
/// There is no account-wide ceiling: it would hand the lockout back to whoever controls enough networks. A guesser
/// spread over many networks is held to the per-client rate limit and to five guesses per network per lockout
/// period, each against a 600 000-iteration PBKDF2 hash.
/// </remarks>
public sealed class LoginService(UserManager<User> users, IPasswordHasher<User> hasher, IdentityDb db, IOptions<IdentityOptions> identity, IdentityMetrics metrics)
{
    private static readonly User DummyUser = new() { Id = Guid.Empty };
    private static string? _dummyHash;

    /// <summary>How long a network's count outlives its last failure (and lock) before it is deleted.</summary>
    private static readonly TimeSpan StaleAfter = TimeSpan.FromDays(1);

    /// <summary>The user, or null for every refusal; <paramref name="network"/> is the client's, from <see cref="ClientNetwork.Of(HttpContext)"/>.</summary>
    public async Task<User?> CheckAsync(string email, string password, string network)
    {
        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            HashDummy(password);
            return Failed(LoginFailureReasons.UnknownUser);
        }

        if (await IsLockedOutAsync(user, network))
        {
            hasher.VerifyHashedPassword(user, user.PasswordHash ?? _dummyHash ?? "", password);
            return Failed(LoginFailureReasons.LockedOut);
        }

        if (!await users.CheckPasswordAsync(user, password))
        {
            await RecordFailureAsync(user, network);
            return Failed(LoginFailureReasons.WrongPassword);
        }

        if (!user.IsActive)
            return Failed(LoginFailureReasons.Deactivated);
        // A parallel guess may have locked this network out while this password was being checked: the lock wins.
        if (!await ResetFailuresUnlessLockedAsync(user, network))
            return Failed(LoginFailureReasons.LockedOut);
        return user;
    }

    /// <summary>True while <paramref name="network"/> is locked out of <paramref name="user"/>'s account.</summary>
    public async Task<bool> IsLockedOutAsync(User user, string network)
    {
        var locked = await db.Database.SqlQuery<bool>($"""
            SELECT EXISTS (
                SELECT 1 FROM "LoginThrottles"
                WHERE "UserId" = {user.Id} AND "Network" = {network} AND "LockedUntil" > now()) AS "Value"
            """).ToListAsync();
        return locked is [true];
    }

    /// <summary>
    /// Counts one wrong password for <paramref name="user"/> from <paramref name="network"/> and locks that network
    /// out when the count reaches the threshold. True when the network is locked out now.
    /// </summary>
    public async Task<bool> RecordFailureAsync(User user, string network)
    {
        var lockout = identity.Value.Lockout;
        var locked = await db.Database.SqlQuery<bool>($"""
            INSERT INTO "LoginThrottles" AS t ("UserId", "Network", "Failures", "LockedUntil", "LastFailureAt")
            VALUES ({user.Id}, {network}, 1, NULL, now())
            ON CONFLICT ("UserId", "Network") DO UPDATE SET
                "LockedUntil" = CASE WHEN t."Failures" + 1 >= {lockout.MaxFailedAccessAttempts} THEN now() + {lockout.DefaultLockoutTimeSpan} ELSE t."LockedUntil" END,
                "Failures" = CASE WHEN t."Failures" + 1 >= {lockout.MaxFailedAccessAttempts} THEN 0 ELSE t."Failures" + 1 END,
                "LastFailureAt" = now()
            RETURNING COALESCE(t."LockedUntil" > now(), FALSE) AS "Value"
            """).ToListAsync();
        await PurgeStaleAsync();
        return locked is [true];
    }

    /// <summary>Forgets every network's failures and locks for the user: the password was reset, or an operator restored the account.</summary>
    public Task ClearFailuresAsync(Guid userId, CancellationToken cancellationToken) =>
        db.LoginThrottles.Where(t => t.UserId == userId).ExecuteDeleteAsync(cancellationToken);

    /// <summary>Hashes a password against a stand-in, so a refusal that needs no hash costs what one that does costs.</summary>
    public void HashDummy(string password)
    {
        _dummyHash ??= hasher.HashPassword(DummyUser, "dummy password for timing equality");
        hasher.VerifyHashedPassword(DummyUser, _dummyHash, password);
    }

    /// <summary>
    /// Clears this network's failure count after a right password, and only this network's: others may be guessing.
    /// False, and nothing changed, when the network is locked out by now.
    /// </summary>
    private async Task<bool> ResetFailuresUnlessLockedAsync(User user, string network)
    {
        var cleared = await db.Database.ExecuteSqlAsync($"""
            DELETE FROM "LoginThrottles"
            WHERE "UserId" = {user.Id} AND "Network" = {network} AND ("LockedUntil" IS NULL OR "LockedUntil" <= now())
            """);
        // Nothing deleted: either there was no count, or the row is locked (a parallel guess's lock is seen here,
        // since each statement reads what was committed before it began).
        return cleared == 1 || !await IsLockedOutAsync(user, network);
    }

    /// <summary>
    /// Rows are written only by failures, so failures delete them too, a day after their last failure and lock: an
    /// index range that is nearly always empty, and storage bounded by a day of failures whoever sends them. Rows
    /// another request holds are skipped, so the purge never waits for, or deadlocks with, a guess in flight.
    /// </summary>
    private async Task PurgeStaleAsync()
    {
        await db.Database.ExecuteSqlAsync($"""
            DELETE FROM "LoginThrottles" WHERE ("UserId", "Network") IN (
                SELECT "UserId", "Network" FROM "LoginThrottles"
                WHERE "LastFailureAt" < now() - {StaleAfter} AND ("LockedUntil" IS NULL OR "LockedUntil" < now() - {StaleAfter})
                LIMIT 1000
                FOR UPDATE SKIP LOCKED)
            """);
    }

    private User? Failed(string reason)
    {
        metrics.LoginFailed(reason);
        return null;
    }
}
