namespace Platform.Contracts;

/// <summary>An operator deactivated a user: every token of the user issued at or before <paramref name="DeactivatedAt"/> is revoked.</summary>
public sealed record UserDeactivated(Guid UserId, DateTimeOffset DeactivatedAt, string? Reason);
