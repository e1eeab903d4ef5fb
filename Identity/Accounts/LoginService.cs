using Platform.Identity.Diagnostics;

namespace Platform.Identity.Accounts;

/// <summary>
/// Checks credentials so that unknown, wrong-password, locked-out and deactivated accounts all look the same
/// from outside: every path hashes one password, and all answer null.
/// </summary>
public sealed class LoginService(UserManager<User> users, IPasswordHasher<User> hasher, IdentityMetrics metrics)
{
    private static readonly User DummyUser = new() { Id = Guid.Empty };
    private static string? _dummyHash;

    public async Task<User?> CheckAsync(string email, string password)
    {
        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            _dummyHash ??= hasher.HashPassword(DummyUser, "dummy password for timing equality");
            hasher.VerifyHashedPassword(DummyUser, _dummyHash, password);
            return Failed(LoginFailureReasons.UnknownUser);
        }

        if (await users.IsLockedOutAsync(user))
        {
            hasher.VerifyHashedPassword(user, user.PasswordHash ?? _dummyHash ?? "", password);
            return Failed(LoginFailureReasons.LockedOut);
        }

        if (!await users.CheckPasswordAsync(user, password))
        {
            await users.AccessFailedAsync(user);
            return Failed(LoginFailureReasons.WrongPassword);
        }

        if (!user.IsActive)
            return Failed(LoginFailureReasons.Deactivated);
        await users.ResetAccessFailedCountAsync(user);
        return user;
    }

    private User? Failed(string reason)
    {
        metrics.LoginFailed(reason);
        return null;
    }
}
