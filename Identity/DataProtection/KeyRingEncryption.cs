using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace Platform.Identity.DataProtection;

/// <summary>
/// Encrypts each data-protection key (the secret that protects reset tokens) with the key-encryption key, AES-GCM,
/// exactly as the signing keys are: a database reader gets ciphertext, and every instance holding the KEK can read it.
/// </summary>
internal sealed class KeyRingEncryptor(KeyEncryption encryption) : IXmlEncryptor
{
    // Bound as associated data: a data-protection ciphertext cannot be passed off as a signing key's, nor the reverse.
    internal const string Purpose = "data-protection-key-ring";

    private static readonly XName Element = "encryptedKey";

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        ArgumentNullException.ThrowIfNull(plaintextElement);
        var plaintext = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var ciphertext = encryption.Encrypt(plaintext, Purpose);
        var encrypted = new XElement(Element,
            new XComment(" Encrypted with Identity's key-encryption key (AES-256-GCM). "),
            new XElement("value", Convert.ToBase64String(ciphertext)));
        return new EncryptedXmlInfo(encrypted, typeof(KeyRingDecryptor));
    }

    /// <summary>Created by Data Protection's activator from the type recorded next to each key, with the app's services.</summary>
    internal sealed class KeyRingDecryptor(IServiceProvider services) : IXmlDecryptor
    {
        public XElement Decrypt(XElement encryptedElement)
        {
            ArgumentNullException.ThrowIfNull(encryptedElement);
            var value = encryptedElement.Element("value")?.Value
                ?? throw new InvalidOperationException("The data-protection key has no encrypted value.");
            var plaintext = services.GetRequiredService<KeyEncryption>().Decrypt(Convert.FromBase64String(value), Purpose);
            return XElement.Parse(Encoding.UTF8.GetString(plaintext));
        }
    }
}
