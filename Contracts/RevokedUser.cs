namespace Platform.Contracts;

/// <summary>A deactivation still inside the token-lifetime window, in <see cref="ActiveRevocations"/>.</summary>
public sealed record RevokedUser(Guid UserId, DateTimeOffset DeactivatedAt);
