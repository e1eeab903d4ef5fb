using System.Text;

namespace Platform.Identity.Mail;

/// <summary>
/// Keeps a reset token unreadable in the mail outbox: AES-GCM under the key-encryption key, which is not in the
/// database. The row id is bound as associated data, so a ciphertext copied onto another row (another recipient)
/// fails to decrypt.
/// </summary>
public sealed class ResetTokenEncryption(KeyEncryption keys)
{
    public byte[] Encrypt(Guid mailId, string token) => keys.Encrypt(Encoding.UTF8.GetBytes(token), AssociatedData(mailId));

    public string Decrypt(Guid mailId, byte[] ciphertext) => Encoding.UTF8.GetString(keys.Decrypt(ciphertext, AssociatedData(mailId)));

    // Prefixed so a mail row's ciphertext and a signing key's can never stand in for each other.
    private static string AssociatedData(Guid mailId) => $"mail:{mailId:D}";
}
