namespace Platform.Contracts;

/// <summary>
/// One page of Identity's answer to <see cref="GetActiveRevocations"/>.
/// </summary>
/// <remarks>
/// Entries are packed, 24 bytes each: the user or session id (16 bytes, <c>Guid.TryWriteBytes</c> layout) then the
/// revocation time as UTC ticks (8 bytes, little-endian). A JSON object per entry would take about 60 bytes; packed
/// (base64 in the JSON envelope, 32 characters an entry) a page of Identity's largest size stays well under 1 MiB,
/// so no page comes near a broker's message size limit however many revocations are active.
/// </remarks>
/// <param name="Users">Deactivated users: the user id and the time of the deactivation.</param>
/// <param name="Sessions">Revoked sessions: the session id and the time of the revocation.</param>
/// <param name="Next">Where the next page starts; null on the last page.</param>
/// <param name="AsOf">When Identity read this page.</param>
public sealed record ActiveRevocations(
    byte[] Users,
    byte[] Sessions,
    RevocationCursor? Next,
    DateTimeOffset AsOf);
