namespace Platform.Contracts;

/// <summary>
/// An operator disabled a service client: every token whose subject is the client, issued at or before
/// <paramref name="DisabledAt"/>, is revoked, as for a deactivated user.
/// </summary>
public sealed record ClientDisabled(Guid ClientId, DateTimeOffset DisabledAt);
