using Microsoft.Extensions.Logging;
using Platform.ResourceServer.Diagnostics;
using Platform.ResourceServer.Storage;
using Platform.ServiceDefaults.Messaging;

namespace Platform.ResourceServer.Revocation;

/// <summary>
/// What a revocation must look like before the deny-list or the table takes it, whichever way it came (an instance's
/// queue, the shared store queue, Identity's catch-up answer, the table itself). Identity dates events with its own
/// clock at the moment of the change, so a time further ahead than the clock skew cannot be honest; kept, it would
/// refuse the user's tokens for as long as the sender liked, and survive restarts in the table. Field bounds are
/// those Identity itself enforces, so nothing it sends is ever refused. A refusal is logged (ids and times only) and
/// counted in <c>platform.revocation.events.refused</c>.
/// </summary>
/// <remarks>
/// Message size is bounded before this runs by the broker (RabbitMQ 4 refuses messages above its
/// <c>max_message_size</c>, 16 MiB by default); Identity's catch-up pages stay under 1 MiB whatever the total.
/// </remarks>
public sealed partial class RevocationEventBounds(
    TimeProvider time,
    IOptions<ResourceServerOptions> options,
    ResourceServerMetrics metrics,
    ILogger<RevocationEventBounds> logger)
{
    /// <summary>Identity's session reasons are short fixed words (<see cref="SessionRevokedReasons"/>).</summary>
    public const int MaxSessionReasonLength = 64;

    /// <summary>Identity accepts an operator's deactivation reason up to this length.</summary>
    public const int MaxDeactivationReasonLength = 500;

    internal const string Future = "future";
    internal const string Shape = "shape";
    internal const string Oversized = "oversized";

    public bool Admits(UserDeactivated message, string source) =>
        message.UserId != Guid.Empty && message.Reason is not { Length: > MaxDeactivationReasonLength }
            ? AdmitsTime(RevocationKinds.User, message.UserId, message.DeactivatedAt, source)
            : Refuse(Shape, RevocationKinds.User, message.UserId, message.DeactivatedAt, source);

    public bool Admits(SessionRevoked message, string source) =>
        message.SessionId != Guid.Empty && message.UserId != Guid.Empty && message.Reason is not { Length: > MaxSessionReasonLength }
            ? AdmitsTime(RevocationKinds.Session, message.UserId, message.RevokedAt, source)
            : Refuse(Shape, RevocationKinds.Session, message.UserId, message.RevokedAt, source);

    /// <summary>
    /// A catch-up page as a whole, before any of its entries is applied: both parts whole packed entries, the
    /// catch-up so far no larger than the deny-list's capacity (which no honest snapshot reaches; the alarm goes off
    /// well before), and a page that is not the last one moving forward from <paramref name="after"/>, so a repeated
    /// or stale cursor cannot keep an instance paging forever. Its entries are then judged one by one.
    /// </summary>
    /// <param name="after">The cursor the page was asked for.</param>
    /// <param name="mergedSoFar">Entries already taken in this catch-up.</param>
    public bool AdmitsPage(ActiveRevocations page, RevocationCursor? after, long mergedSoFar)
    {
        if (page.Users is null || page.Sessions is null
            || !PackedRevocations.IsWellFormed(page.Users) || !PackedRevocations.IsWellFormed(page.Sessions))
            return RefusePage(Shape, "a part is missing or not whole entries");

        var entries = PackedRevocations.Count(page.Users) + PackedRevocations.Count(page.Sessions);
        if (mergedSoFar + entries > options.Value.MaxEntries)
            return RefusePage(Oversized, $"the catch-up reached {mergedSoFar + entries} entries, more than MaxEntries ({options.Value.MaxEntries})");

        if (page.Next is { } next && (entries == 0 || !Enum.IsDefined(next.Kind) || (after is not null && Before(next, after))))
            return RefusePage(Shape, "the next cursor does not move forward");

        return true;
    }

    /// <summary>One entry of a catch-up page; a session entry names the session, not its user.</summary>
    public bool AdmitsEntry(RevokedKind kind, Guid id, DateTimeOffset at) =>
        id != Guid.Empty
            ? AdmitsTime(KindName(kind), id, at, RevocationSources.CatchUp)
            : Refuse(Shape, KindName(kind), id, at, RevocationSources.CatchUp);

    /// <summary>The latest revocation time accepted now; rows dated later were never honest.</summary>
    public DateTimeOffset Latest => time.GetUtcNow() + options.Value.ClockSkew;

    /// <param name="kind">One of <see cref="RevocationKinds"/>.</param>
    public bool AdmitsTime(string kind, Guid userId, DateTimeOffset at, string source) =>
        at <= Latest || Refuse(Future, kind, userId, at, source);

    private static string KindName(RevokedKind kind) => kind == RevokedKind.User ? RevocationKinds.User : RevocationKinds.Session;

    // Users sort before sessions, then by time; ids of equal times are PostgreSQL's order, not Guid's, so only
    // (kind, time) can be compared here.
    private static bool Before(RevocationCursor next, RevocationCursor after) =>
        next.Kind < after.Kind || (next.Kind == after.Kind && (next.At < after.At || (next.At == after.At && next.Id == after.Id)));

    private bool RefusePage(string reason, string problem)
    {
        metrics.EventRefused(reason);
        LogAnswerRefused(logger, problem);
        return false;
    }

    private bool Refuse(string reason, string kind, Guid userId, DateTimeOffset at, string source)
    {
        metrics.EventRefused(reason);
        LogRefused(logger, kind, userId, at, source, reason);
        return false;
    }

    [LoggerMessage(LogLevel.Warning,
        "Refused a {Kind} revocation of user {UserId} dated {At} from {Source}: {Reason}. It is neither applied nor stored (a catch-up entry names the session in place of its user).")]
    private static partial void LogRefused(ILogger logger, string kind, Guid userId, DateTimeOffset at, string source, string reason);

    [LoggerMessage(LogLevel.Error, "Refused a page of Identity's catch-up: {Problem}. The deny-list stays marked stale and the catch-up starts again.")]
    private static partial void LogAnswerRefused(ILogger logger, string problem);
}

/// <summary>Where a revocation came from, for the log line of a refusal.</summary>
public static class RevocationSources
{
    public const string InstanceQueue = "the instance queue";
    public const string StoreQueue = "the store queue";
    public const string CatchUp = "Identity's catch-up answer";
    public const string Table = "the revocation table";
}
