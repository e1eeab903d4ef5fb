namespace Platform.Contracts;

/// <summary>A session ended early: every token carrying <c>sid</c> = <paramref name="SessionId"/> is revoked.</summary>
/// <param name="Reason">One of <see cref="SessionRevokedReasons"/>.</param>
public sealed record SessionRevoked(Guid SessionId, Guid UserId, DateTimeOffset RevokedAt, string Reason);
