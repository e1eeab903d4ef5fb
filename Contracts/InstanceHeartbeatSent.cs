namespace Platform.Contracts;

/// <summary>
/// A resource-server instance is alive: it sends this every <paramref name="Interval"/> from its start until it
/// stops, so Identity knows which instances should apply each revocation. <paramref name="Ready"/> is false while the
/// instance is still loading revocations from before its start.
/// </summary>
public sealed record InstanceHeartbeatSent(
    string InstanceId, string Service, DateTimeOffset StartedAt, DateTimeOffset SentAt, TimeSpan Interval, bool Ready);
