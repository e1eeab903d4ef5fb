namespace Platform.Identity.PasswordHashing;

/// <summary>
/// ASP.NET Core Identity's hasher, each hash and verification taken through <see cref="PasswordHashingGate"/>. Every
/// password check and hash of Identity (login, sign-up, password change and reset, the bootstrap operator) goes
/// through <see cref="IPasswordHasher{TUser}"/>, so no path runs PBKDF2 outside the gate.
/// </summary>
public sealed class GatedPasswordHasher(PasswordHashingGate gate, IOptions<PasswordHasherOptions> options) : IPasswordHasher<User>
{
    private readonly PasswordHasher<User> _inner = new(options);

    public string HashPassword(User user, string password)
    {
        using var turn = gate.Enter();
        return _inner.HashPassword(user, password);
    }

    public PasswordVerificationResult VerifyHashedPassword(User user, string hashedPassword, string providedPassword)
    {
        using var turn = gate.Enter();
        return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
    }
}
