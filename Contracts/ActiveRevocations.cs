namespace Platform.Contracts;

/// <summary>Identity's answer to <see cref="GetActiveRevocations"/>.</summary>
public sealed record ActiveRevocations(
    IReadOnlyList<RevokedUser> Users,
    IReadOnlyList<RevokedSession> Sessions,
    DateTimeOffset AsOf);
