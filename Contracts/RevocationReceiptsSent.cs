namespace Platform.Contracts;

/// <summary>
/// The receipts one resource-server instance has to send, up to a few hundred per message: a bulk deactivation of ten
/// thousand users, applied by every instance, would otherwise put tens of thousands of messages on the broker and
/// Identity's receipt queue while the events themselves are still being delivered.
/// </summary>
public sealed record RevocationReceiptsSent(IReadOnlyList<RevocationApplied> Receipts);
