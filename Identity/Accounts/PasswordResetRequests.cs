namespace Platform.Identity.Accounts;

/// <summary>
/// Forgot-password does the same work whatever the address: one lookup, one reset token, one outbox row in one
/// transaction. Skipping the token and the write for an unknown address made a known one measurably slower, which
/// told an attacker which e-mails have accounts.
/// </summary>
public sealed class PasswordResetRequests(
    UserManager<User> users, UnitOfWork unitOfWork, TimeProvider time, IOptions<DataProtectionTokenProviderOptions> tokenOptions)
{
    public async Task RequestAsync(string email, CancellationToken cancellationToken)
    {
        var user = await users.FindByEmailAsync(email);
        var known = user is { IsActive: true };
        var target = known ? user! : StandIn();
        var now = time.GetUtcNow();
        var token = await users.GeneratePasswordResetTokenAsync(target);
        var request = new PasswordResetRequested(target.Id, known ? target.Email! : "", token, now + tokenOptions.Value.TokenLifespan);
        await using var transaction = await unitOfWork.BeginAsync(cancellationToken);
        var row = unitOfWork.Enqueue(request, now);
        // The stand-in's row is written settled: the dispatcher only takes unsent rows, so it is never published, and
        // the cleanup deletes it with the other sent rows. It names no address, so an unknown e-mail is not stored.
        if (!known)
            row.SentAt = now;
        await unitOfWork.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Never stored, so its token opens nothing. Its id and stamp have the lengths of a real user's, so the token,
    /// and the row carrying it, have the same size as a real one.
    /// </summary>
    private static User StandIn() => new()
    {
        Id = Guid.NewGuid(),
        SecurityStamp = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)),
    };
}
