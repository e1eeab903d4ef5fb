namespace Platform.Identity.PasswordHashing;

/// <summary>
/// ASP.NET Core Identity's hasher, each hash and verification taken through <see cref="PasswordHashingGate"/>. Every
/// password check and hash of Identity (login, sign-up, password change and reset, the bootstrap operator) goes
/// through <see cref="IPasswordHasher{TUser}"/>, so no path runs PBKDF2 outside the gate. On the password endpoints the
/// request already holds its turn (<see cref="PasswordHashingTurns"/>); elsewhere a hash takes one here. The hash itself
/// runs below the rest of the process (<see cref="HashingPriority"/>).
/// </summary>
public sealed class GatedPasswordHasher : IPasswordHasher<User>
{
    private readonly PasswordHashingGate _gate;
    private readonly IPasswordHasher<User> _inner;

    public GatedPasswordHasher(PasswordHashingGate gate, IOptions<PasswordHasherOptions> options)
        : this(gate, new PasswordHasher<User>(options))
    {
    }

    internal GatedPasswordHasher(PasswordHashingGate gate, IPasswordHasher<User> inner)
    {
        _gate = gate;
        _inner = inner;
    }

    public string HashPassword(User user, string password)
    {
        using var turn = TakeTurn();
        return HashingPriority.Run(() => _inner.HashPassword(user, password));
    }

    public PasswordVerificationResult VerifyHashedPassword(User user, string hashedPassword, string providedPassword)
    {
        using var turn = TakeTurn();
        return HashingPriority.Run(() => _inner.VerifyHashedPassword(user, hashedPassword, providedPassword));
    }

    /// <returns>A turn to dispose of, or null when the request's own turn covers this hash.</returns>
    private System.Threading.RateLimiting.RateLimitLease? TakeTurn() => PasswordHashingGate.HeldTurn.Value is not null ? null : _gate.Enter();
}
