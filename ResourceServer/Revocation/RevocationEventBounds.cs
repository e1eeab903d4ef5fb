using Microsoft.Extensions.Logging;
using Platform.ResourceServer.Diagnostics;
using Platform.ResourceServer.Storage;

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
/// <c>max_message_size</c>, 16 MiB by default), which also bounds a catch-up answer to a few hundred thousand entries.
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

    public bool Admits(RevokedUser user, string source) =>
        user.UserId != Guid.Empty
            ? AdmitsTime(RevocationKinds.User, user.UserId, user.DeactivatedAt, source)
            : Refuse(Shape, RevocationKinds.User, user.UserId, user.DeactivatedAt, source);

    public bool Admits(RevokedSession session, string source) =>
        session.SessionId != Guid.Empty && session.UserId != Guid.Empty
            ? AdmitsTime(RevocationKinds.Session, session.UserId, session.RevokedAt, source)
            : Refuse(Shape, RevocationKinds.Session, session.UserId, session.RevokedAt, source);

    /// <summary>
    /// A catch-up answer as a whole: both lists present and together no larger than the deny-list's capacity, which
    /// no honest answer reaches (the alarm goes off well before). Its entries are then judged one by one.
    /// </summary>
    public bool AdmitsAnswer(ActiveRevocations answer)
    {
        if (answer.Users is null || answer.Sessions is null)
        {
            metrics.EventRefused(Shape);
            LogAnswerRefused(logger, "a list is missing");
            return false;
        }

        if ((long)answer.Users.Count + answer.Sessions.Count > options.Value.MaxEntries)
        {
            metrics.EventRefused(Oversized);
            LogAnswerRefused(logger, $"{answer.Users.Count} users and {answer.Sessions.Count} sessions exceed MaxEntries ({options.Value.MaxEntries})");
            return false;
        }

        return true;
    }

    /// <summary>The latest revocation time accepted now; rows dated later were never honest.</summary>
    public DateTimeOffset Latest => time.GetUtcNow() + options.Value.ClockSkew;

    /// <param name="kind">One of <see cref="RevocationKinds"/>.</param>
    public bool AdmitsTime(string kind, Guid userId, DateTimeOffset at, string source) =>
        at <= Latest || Refuse(Future, kind, userId, at, source);

    private bool Refuse(string reason, string kind, Guid userId, DateTimeOffset at, string source)
    {
        metrics.EventRefused(reason);
        LogRefused(logger, kind, userId, at, source, reason);
        return false;
    }

    [LoggerMessage(LogLevel.Warning,
        "Refused a {Kind} revocation of user {UserId} dated {At} from {Source}: {Reason}. It is neither applied nor stored.")]
    private static partial void LogRefused(ILogger logger, string kind, Guid userId, DateTimeOffset at, string source, string reason);

    [LoggerMessage(LogLevel.Error, "Refused Identity's catch-up answer: {Problem}. The deny-list stays marked stale.")]
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
