using Platform.Identity.Mail;

namespace Platform.Identity.Accounts;

/// <summary>
/// Forgot-password and reset do the same work whatever the address, so neither the answer nor its time tells which
/// e-mails have accounts. Forgot-password: one lookup, one reset token, its encryption and the same rows written; for
/// an active account they are committed (the mail and a <see cref="PasswordResetRequested"/> event), for any other
/// address rolled back, so nothing is kept. Reset: the token is checked against the account, or a stand-in.
/// </summary>
public sealed class PasswordResetRequests(
    UserManager<User> users,
    UnitOfWork unitOfWork,
    ResetTokenEncryption encryption,
    ResetMailLimiter limiter,
    TimeProvider time,
    IOptions<MailOptions> mailOptions,
    IOptions<DataProtectionTokenProviderOptions> tokenOptions)
{
    public async Task RequestAsync(string email, CancellationToken cancellationToken)
    {
        if (!await limiter.TryAcquireAsync(users.NormalizeEmail(email), cancellationToken))
            return;
        var user = await users.FindByEmailAsync(email);
        var known = user is { IsActive: true };
        var target = known ? user! : StandIn();
        var now = time.GetUtcNow();
        var expiresAt = now + tokenOptions.Value.TokenLifespan;
        var token = await users.GeneratePasswordResetTokenAsync(target);

        await using var transaction = await unitOfWork.BeginAsync(cancellationToken);
        unitOfWork.Enqueue(new PasswordResetRequested(target.Id, now, expiresAt), now);
        if (mailOptions.Value.Sends)
        {
            var mail = new OutgoingMail
            {
                Id = Guid.CreateVersion7(now),
                UserId = target.Id,
                Recipient = known ? target.Email! : email,
                CreatedAt = now,
                ExpiresAt = expiresAt,
            };
            mail.EncryptedToken = encryption.Encrypt(mail.Id, token);
            unitOfWork.QueueMail(mail);
        }

        if (known)
            await unitOfWork.CommitAsync(cancellationToken);
        else
            await unitOfWork.DiscardAsync(cancellationToken);
    }

    /// <summary>
    /// The active account <paramref name="email"/> names, if <paramref name="token"/> is a valid reset token for it;
    /// otherwise null, after the same token check against the account or a stand-in.
    /// </summary>
    public async Task<User?> FindRedeemableAsync(string email, string token)
    {
        var user = await users.FindByEmailAsync(email);
        var valid = await users.VerifyUserTokenAsync(
            user ?? StandIn(), users.Options.Tokens.PasswordResetTokenProvider, UserManager<User>.ResetPasswordTokenPurpose, token);
        return valid && user is { IsActive: true } ? user : null;
    }

    /// <summary>
    /// Never stored, so its token opens nothing. Its id and stamp have the lengths of a real user's, so the token,
    /// and the rows carrying it, have the same size as a real one.
    /// </summary>
    private static User StandIn() => new()
    {
        Id = Guid.NewGuid(),
        SecurityStamp = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)),
    };
}
