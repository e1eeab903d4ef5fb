namespace Platform.Identity.Data;

/// <summary>An RSA signing key; the private part is encrypted with the key-encryption key.</summary>
public sealed class SigningKey
{
    public required string Id { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When it starts signing; before that it is only published.</summary>
    public DateTimeOffset ActivatesAt { get; set; }

    /// <summary>When it stops signing (its successor's activation); published until tokens it signed have expired.</summary>
    public DateTimeOffset RetiresAt { get; set; }

    /// <summary>Set when an operator withdrew the key at once: it neither signs nor is published from then on.</summary>
    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>Base64url modulus and exponent: what the JWKS publishes.</summary>
    public required string Modulus { get; set; }

    public required string Exponent { get; set; }

    /// <summary>AES-GCM nonce, tag and ciphertext of the PKCS#8 private key.</summary>
    public required byte[] EncryptedPrivateKey { get; set; }
}
