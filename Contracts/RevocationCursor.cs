namespace Platform.Contracts;

/// <summary>
/// A position in Identity's snapshot of active revocations, in its keyset order: every deactivated user by
/// (time, id), then every revoked session by (time, id). A page holds the entries strictly after it.
/// </summary>
/// <param name="Kind">The part of the snapshot the position is in.</param>
/// <param name="At">The revocation time of the last entry sent.</param>
/// <param name="Id">The user or session id of the last entry sent.</param>
public sealed record RevocationCursor(RevokedKind Kind, DateTimeOffset At, Guid Id);
