using System.Text;

namespace Platform.Identity.SigningKeys;

/// <summary>Encrypts signing keys at rest with AES-GCM under the key-encryption key (KEK).</summary>
public sealed partial class KeyEncryption
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly byte[] _kek;

    public KeyEncryption(IOptions<IdentityServiceOptions> options, ILogger<KeyEncryption> logger)
    {
        _kek = Load(options.Value, logger);
    }

    /// <summary>The key id is bound as associated data, so a ciphertext copied onto another row fails to decrypt.</summary>
    public byte[] Encrypt(byte[] plaintext, string keyId)
    {
        var output = new byte[NonceSize + TagSize + plaintext.Length];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_kek, TagSize);
        aes.Encrypt(nonce, plaintext, output.AsSpan(NonceSize + TagSize), output.AsSpan(NonceSize, TagSize), Encoding.UTF8.GetBytes(keyId));
        return output;
    }

    public byte[] Decrypt(byte[] ciphertext, string keyId)
    {
        var plaintext = new byte[ciphertext.Length - NonceSize - TagSize];
        using var aes = new AesGcm(_kek, TagSize);
        aes.Decrypt(ciphertext.AsSpan(0, NonceSize), ciphertext.AsSpan(NonceSize + TagSize), ciphertext.AsSpan(NonceSize, TagSize), plaintext, Encoding.UTF8.GetBytes(keyId));
        return plaintext;
    }

    private static byte[] Load(IdentityServiceOptions options, ILogger logger)
    {
        if (!string.IsNullOrWhiteSpace(options.KeyEncryptionKey))
            return Parse(options.KeyEncryptionKey, "Identity:KeyEncryptionKey");
        if (!string.IsNullOrWhiteSpace(options.KeyEncryptionKeyFile))
        {
            if (!File.Exists(options.KeyEncryptionKeyFile))
                throw new InvalidOperationException($"Identity:KeyEncryptionKeyFile '{options.KeyEncryptionKeyFile}' does not exist.");
            return Parse(File.ReadAllText(options.KeyEncryptionKeyFile).Trim(), "Identity:KeyEncryptionKeyFile");
        }

        // Outside Development, IdentityServiceOptionsValidator has already refused to start without a KEK.
        var file = Path.Combine(options.DataDirectory, "key-encryption-key");
        if (File.Exists(file))
            return Parse(File.ReadAllText(file).Trim(), file);
        Directory.CreateDirectory(options.DataDirectory);
        var key = RandomNumberGenerator.GetBytes(32);
        FileSecrets.WriteOnce(file, Convert.ToBase64String(key));
        LogGeneratedKek(logger, file);
        return key;
    }

    private static byte[] Parse(string base64, string source)
    {
        byte[] key;
        try
        {
            key = Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"{source} is not valid base64.");
        }

        return key.Length == 32 ? key : throw new InvalidOperationException($"{source} must decode to exactly 32 bytes (AES-256).");
    }

    [LoggerMessage(LogLevel.Warning,
        "No key-encryption key configured; generated one into {File} for Development. Set Identity:KeyEncryptionKey in any other environment.")]
    private static partial void LogGeneratedKek(ILogger logger, string file);
}
