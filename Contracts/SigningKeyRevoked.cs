namespace Platform.Contracts;

/// <summary>
/// An operator withdrew a signing key before its time: no token whose header <c>kid</c> is <paramref name="Kid"/> is
/// trusted any more, whenever it was issued, and validators fetch the JWKS again to learn the key that replaced it.
/// </summary>
public sealed record SigningKeyRevoked(string Kid, DateTimeOffset RevokedAt);
