namespace Platform.Identity.Data;

/// <summary>
/// A reset mail waiting for, or done with, delivery: written in the same transaction as the request, sent after the
/// commit. The reset token is stored only encrypted under the key-encryption key (the row id bound as associated
/// data) and erased once the mail is sent or can no longer be used.
/// </summary>
public sealed class OutgoingMail
{
    public Guid Id { get; set; }

    public Guid UserId { get; set; }

    public required string Recipient { get; set; }

    /// <summary>The reset token, AES-GCM under the KEK; null once sent, expired or refused by the mail server.</summary>
    public byte[]? EncryptedToken { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the token stops working; a mail not delivered by then is given up.</summary>
    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    public int Attempts { get; set; }
}
