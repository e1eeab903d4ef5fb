using MassTransit;
using Platform.ServiceDefaults.Messaging;

namespace Platform.Identity.Revocation;

/// <summary>
/// Lets a starting resource server catch up on every revocation a still-valid token could be subject to, one page per
/// request: deactivated users and disabled service clients by (time, Id), then revoked sessions by (RevokedAt, Id), each page a keyset
/// read on the matching index, so the thousandth page costs what the first does and Identity holds no state between
/// requests (any Identity instance can answer any page, and a restarted one answers the next page as well).
/// </summary>
/// <remarks>
/// Pages are not one consistent snapshot: a revocation made while a resource server pages through sorts after
/// everything already sent, so it still comes in a later page, and it reaches the resource server's own queue too,
/// which was bound before the first request. Entries that age out of the window meanwhile are no longer needed.
/// </remarks>
public sealed partial class GetActiveRevocationsConsumer(
    IdentityDb db,
    TimeProvider time,
    IOptions<IdentityServiceOptions> options,
    IOptions<CatchUpOptions> catchUp,
    ILogger<GetActiveRevocationsConsumer> logger) : IConsumer<GetActiveRevocations>
{
    public async Task Consume(ConsumeContext<GetActiveRevocations> context)
    {
        var request = context.Message;
        var page = await ReadPageAsync(request.After, context.CancellationToken);
        if (request.After is null)
            LogFirstPage(logger, request.RequestedBy);
        LogAnswering(logger, request.RequestedBy, PackedRevocations.Count(page.Users), PackedRevocations.Count(page.Sessions), page.Next is null);
        await context.RespondAsync(page);
    }

    /// <summary>The page of active revocations that follows <paramref name="after"/> (from the start when null).</summary>
    public async Task<ActiveRevocations> ReadPageAsync(RevocationCursor? after, CancellationToken cancellationToken)
    {
        if (after is { Kind: not (RevokedKind.User or RevokedKind.Session) })
            throw new ArgumentException($"Unknown cursor kind {after.Kind}.", nameof(after));

        var now = time.GetUtcNow();
        var since = now - options.Value.RevocationWindow;
        var size = catchUp.Value.PageSize;
        var users = after is null or { Kind: RevokedKind.User } ? await UsersAsync(since, after, size, cancellationToken) : [];
        var sessions = users.Count < size
            ? await SessionsAsync(since, after is { Kind: RevokedKind.Session } ? after : null, size - users.Count, cancellationToken)
            : [];

        // A short page is the last one; a full one may be followed by an empty last page.
        RevocationCursor? next = users.Count + sessions.Count < size ? null
            : sessions.Count > 0 ? new RevocationCursor(RevokedKind.Session, sessions[^1].At, sessions[^1].Id)
            : new RevocationCursor(RevokedKind.User, users[^1].At, users[^1].Id);
        return new ActiveRevocations(Pack(users), Pack(sessions), next, now);
    }

    // A disabled service client is a subject whose tokens are refused from a time on, as a deactivated user is; the ids
    // are GUIDs of both, so one keyset order runs over the two.
    private Task<List<Entry>> UsersAsync(DateTimeOffset since, RevocationCursor? after, int take, CancellationToken cancellationToken) =>
        PageAsync(
            db.Users.AsNoTracking().Select(u => new Entry { Id = u.Id, At = u.DeactivatedAt!.Value })
                .Concat(db.ServiceClients.AsNoTracking().Select(c => new Entry { Id = c.Id, At = c.DisabledAt!.Value })),
            since, after, take, cancellationToken);

    private Task<List<Entry>> SessionsAsync(DateTimeOffset since, RevocationCursor? after, int take, CancellationToken cancellationToken) =>
        PageAsync(db.Sessions.AsNoTracking().Select(s => new Entry { Id = s.Id, At = s.RevokedAt!.Value }), since, after, take, cancellationToken);

    /// <summary>The keyset read both kinds share: revoked within the window, after the cursor, in (time, id) order.</summary>
    private static Task<List<Entry>> PageAsync(
        IQueryable<Entry> revoked, DateTimeOffset since, RevocationCursor? after, int take, CancellationToken cancellationToken)
    {
        var query = revoked.Where(e => e.At >= since);
        if (after is not null)
        {
            query = query.Where(e => EF.Functions.GreaterThan(
                ValueTuple.Create(e.At, e.Id), ValueTuple.Create(after.At.ToUniversalTime(), after.Id)));
        }

        return query.OrderBy(e => e.At).ThenBy(e => e.Id).Take(take).ToListAsync(cancellationToken);
    }

    private static byte[] Pack(List<Entry> entries)
    {
        var packed = new byte[entries.Count * PackedRevocations.EntrySize];
        for (var i = 0; i < entries.Count; i++)
            PackedRevocations.Write(packed, i, entries[i].Id, entries[i].At);
        return packed;
    }

    // Built by member initialisation, so EF can keep composing the query on its members.
    private sealed class Entry
    {
        public Guid Id { get; init; }

        public DateTimeOffset At { get; init; }
    }

    [LoggerMessage(LogLevel.Information, "{RequestedBy} began a catch-up")]
    private static partial void LogFirstPage(ILogger logger, string requestedBy);

    [LoggerMessage(LogLevel.Debug, "Answering {RequestedBy} with {Users} deactivations and {Sessions} session revocations (last page: {Last})")]
    private static partial void LogAnswering(ILogger logger, string requestedBy, int users, int sessions, bool last);
}
