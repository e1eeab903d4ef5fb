using MailKit.Net.Smtp;

namespace Platform.Identity.Mail;

/// <summary>
/// Sends the mail outbox after commit. Rows are claimed with FOR UPDATE SKIP LOCKED, so several instances never send
/// the same row at once. A sent row's token is erased in the same transaction that marks it sent; a row whose token
/// has expired, or that the server refuses for good, is erased unsent. While the server is unreachable the rows wait,
/// retried with a doubling delay up to Identity:Mail:MaxRetryDelay.
/// </summary>
internal sealed partial class MailDispatcher(
    IServiceScopeFactory scopes,
    SmtpMailSender sender,
    ResetTokenEncryption encryption,
    [FromKeyedServices(MailDispatcher.SignalKey)] OutboxSignal signal,
    TimeProvider time,
    IOptions<MailOptions> options,
    ILogger<MailDispatcher> logger) : BatchDispatcher(signal, time, logger)
{
    /// <summary>The key of the <see cref="OutboxSignal"/> that wakes this dispatcher after a commit.</summary>
    public const string SignalKey = "mail";

    private static readonly TimeSpan Retention = TimeSpan.FromDays(1);

    protected override int BatchSize => 20;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Sends)
        {
            LogNotSending(logger);
            return;
        }

        await base.ExecuteAsync(stoppingToken);
    }

    protected override TimeSpan RetryDelay(int failures) =>
        TimeSpan.FromMilliseconds(Math.Min(options.Value.MaxRetryDelay.TotalMilliseconds, 1000 * Math.Pow(2, Math.Min(failures - 1, 16))));

    /// <summary>Claims a batch, erases what expired, sends the rest; returns how many rows it settled and whether the server failed.</summary>
    protected override async Task<(int Handled, bool Failed)> DispatchBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var rows = await db.MailMessages
            .FromSql($"SELECT * FROM \"MailMessages\" WHERE \"EncryptedToken\" IS NOT NULL ORDER BY \"CreatedAt\" LIMIT {BatchSize} FOR UPDATE SKIP LOCKED")
            .ToListAsync(cancellationToken);
        var now = Time.GetUtcNow();
        foreach (var row in rows.Where(r => r.ExpiresAt <= now))
        {
            row.EncryptedToken = null;
            LogExpired(logger, row.Id, row.Attempts);
        }

        var pending = rows.Where(r => r.EncryptedToken is not null).ToList();
        var failed = pending.Count > 0 && !await SendAsync(pending, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (rows.Count(r => r.EncryptedToken is null), failed);
    }

    /// <summary>False when the server could not be reached or failed for a while; the rows not settled stay for the next attempt.</summary>
    private async Task<bool> SendAsync(List<OutgoingMail> rows, CancellationToken cancellationToken)
    {
        foreach (var row in rows)
            row.Attempts++;
        try
        {
            await using var connection = await sender.ConnectAsync(cancellationToken);
            foreach (var row in rows)
            {
                try
                {
                    var token = encryption.Decrypt(row.Id, row.EncryptedToken!);
                    await connection.SendAsync(ResetMail.Compose(options.Value, row, token), cancellationToken);
                    row.SentAt = Time.GetUtcNow();
                    row.EncryptedToken = null;
                }
                catch (SmtpCommandException refused) when ((int)refused.StatusCode >= 500 && refused.ErrorCode is not SmtpErrorCode.SenderNotAccepted)
                {
                    // This recipient or this message will never be accepted; a retry would only hold the token longer.
                    row.EncryptedToken = null;
                    LogRefused(logger, row.Id, (int)refused.StatusCode);
                }
                catch (CryptographicException)
                {
                    // Written under another key-encryption key: nobody can read this token any more.
                    row.EncryptedToken = null;
                    LogUnreadable(logger, row.Id);
                }
            }

            return true;
        }
        catch (Exception exception) when (exception is not OutOfMemoryException && !cancellationToken.IsCancellationRequested)
        {
            // The exception's type and message only: MailKit's messages name the server and its reply, never the mail.
            LogDeliveryFailed(logger, rows.Count(r => r.EncryptedToken is not null), exception.GetType().Name, exception.Message);
            return false;
        }
    }

    protected override async Task DeleteSettledAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
        var cutoff = Time.GetUtcNow() - Retention;
        await db.MailMessages.Where(m => m.EncryptedToken == null && m.CreatedAt < cutoff).ExecuteDeleteAsync(cancellationToken);
    }

    [LoggerMessage(LogLevel.Warning, "Reset mail is off (Identity:Mail:Enabled is false, or Identity:Mail:Host is not set): forgot-password writes and sends no mail")]
    private static partial void LogNotSending(ILogger logger);

    [LoggerMessage(LogLevel.Warning, "Sending {Count} reset mails failed ({ErrorType}: {Error}); retrying")]
    private static partial void LogDeliveryFailed(ILogger logger, int count, string errorType, string error);

    [LoggerMessage(LogLevel.Warning, "Reset mail {MailId} refused by the mail server ({StatusCode}); its token is erased")]
    private static partial void LogRefused(ILogger logger, Guid mailId, int statusCode);

    [LoggerMessage(LogLevel.Warning, "Reset mail {MailId} cannot be decrypted with the current key-encryption key; its token is erased")]
    private static partial void LogUnreadable(ILogger logger, Guid mailId);

    [LoggerMessage(LogLevel.Information, "Reset mail {MailId} expired before it could be sent ({Attempts} attempts); its token is erased")]
    private static partial void LogExpired(ILogger logger, Guid mailId, int attempts);
}
