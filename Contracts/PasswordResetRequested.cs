namespace Platform.Contracts;

/// <summary>
/// A user asked to reset a forgotten password. Identity mails the reset link itself; this event carries neither the
/// token nor the address, so nothing that reads the bus can reset a password or learn who asked.
/// </summary>
public sealed record PasswordResetRequested(Guid UserId, DateTimeOffset RequestedAt, DateTimeOffset ExpiresAt);
