namespace Platform.Contracts;

/// <summary>A user asked to reset a forgotten password; a notification service mails the token.</summary>
public sealed record PasswordResetRequested(Guid UserId, string Email, string ResetToken, DateTimeOffset ExpiresAt);
