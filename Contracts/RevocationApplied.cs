namespace Platform.Contracts;

/// <summary>
/// A resource-server instance put a revocation event on its deny-list: <paramref name="EventId"/> is the event's
/// message id as Identity published it (its outbox row id), <paramref name="InstanceId"/> the instance's own id, as in
/// its heartbeat, and <paramref name="AppliedAt"/> the instance's clock once the deny-list held it. A redelivered
/// event yields the same pair again. Receipts travel in <see cref="RevocationReceiptsSent"/>.
/// </summary>
public sealed record RevocationApplied(Guid EventId, string InstanceId, DateTimeOffset AppliedAt);
