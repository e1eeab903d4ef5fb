namespace Platform.Contracts;

/// <summary>A session revocation still inside the token-lifetime window, in <see cref="ActiveRevocations"/>.</summary>
public sealed record RevokedSession(Guid SessionId, Guid UserId, DateTimeOffset RevokedAt);
