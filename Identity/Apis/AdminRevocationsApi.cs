using Platform.Identity.Authentication;

namespace Platform.Identity.Apis;

/// <summary>
/// <c>GET /admin/revocations/{eventId}</c>: which resource-server instances applied a revocation, and how fast. The
/// routes that publish one name its event in the <see cref="EventHeader"/> header (the bulk deactivation, in its body).
/// </summary>
/// <remarks>
/// An instance is expected to apply an event when it is live (a heartbeat within three of its intervals) and Identity
/// heard of it no later than the event was written: its queue was bound by then. An instance that started later loaded
/// the event from the catch-up before reporting ready, and sends no receipt for it. Instances that applied the event and
/// have gone since stay under <c>applied</c>, not in the count.
/// </remarks>
public static class AdminRevocationsApi
{
    /// <summary>The response header naming the event a change published.</summary>
    public const string EventHeader = "Revocation-Event";

    public static IEndpointRouteBuilder MapAdminRevocationsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/admin/revocations").WithTags("Admin").RequireAuthorization(Authorization.AdminPolicy)
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        group.MapGet("/{eventId}", GetDelivery)
            .WithSummary("Which live resource-server instances applied a revocation event, when, and which have not yet")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    /// <summary>Sets <see cref="EventHeader"/> when the change published an event (a non-empty id).</summary>
    internal static TResult NamingEvent<TResult>(HttpResponse response, Guid eventId, TResult result)
    {
        if (eventId != Guid.Empty)
            response.Headers[EventHeader] = eventId.ToString();
        return result;
    }

    public static async Task<Results<Ok<RevocationDelivery>, ValidationProblem, ProblemHttpResult>> GetDelivery(
        string eventId, IdentityDb db, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(eventId, out var id) || id == Guid.Empty)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["eventId"] = ["'eventId' must be an event id (a GUID)."] });

        // Only events resource servers apply; a reset request reaches none of them.
        var revocation = await db.OutboxMessages.AsNoTracking()
            .Where(m => m.Id == id && m.Type != nameof(PasswordResetRequested))
            .Select(m => new { m.Type, m.CreatedAt, m.SentAt })
            .SingleOrDefaultAsync(cancellationToken);
        if (revocation is null)
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found",
                detail: "No revocation event with this id (events are kept for a week after they are sent).");

        var now = time.GetUtcNow();
        var receipts = await db.RevocationReceipts.AsNoTracking().Where(r => r.EventId == id)
            .GroupJoin(db.ApiInstances.AsNoTracking(), r => r.InstanceId, i => i.Id, (r, i) => new { Receipt = r, Instance = i })
            .SelectMany(x => x.Instance.DefaultIfEmpty(), (x, i) => new { x.Receipt.InstanceId, x.Receipt.AppliedAt, Service = i == null ? null : i.Service })
            .ToListAsync(cancellationToken);
        var recent = now - ApiInstance.LongestLiveness;
        var live = (await db.ApiInstances.AsNoTracking().Where(i => i.LastSeenAt >= recent).ToListAsync(cancellationToken))
            .Where(i => i.IsLiveAt(now)).ToList();

        var appliedIds = receipts.Select(r => r.InstanceId).ToHashSet(StringComparer.Ordinal);
        var expected = live.Where(i => appliedIds.Contains(i.Id) || i.FirstSeenAt <= revocation.CreatedAt).ToList();
        var pending = expected.Where(i => !appliedIds.Contains(i.Id)).Select(i => i.Id).Order(StringComparer.Ordinal).ToList();
        var applied = receipts.OrderBy(r => r.AppliedAt)
            .Select(r => new AppliedInstance(r.InstanceId, r.Service, r.AppliedAt, LatencyMs(revocation.CreatedAt, r.AppliedAt)))
            .ToList();
        return TypedResults.Ok(new RevocationDelivery(id, revocation.Type, revocation.CreatedAt, revocation.SentAt, expected.Count, applied, pending));
    }

    // The instance's clock against Identity's: a little skew must not make a latency negative.
    private static double LatencyMs(DateTimeOffset createdAt, DateTimeOffset appliedAt) =>
        Math.Round(Math.Max(0, (appliedAt - createdAt).TotalMilliseconds), 1);
}

/// <param name="CreatedAt">When the change was committed with its event.</param>
/// <param name="PublishedAt">When the broker confirmed the event; null while it waits in the outbox.</param>
/// <param name="Expected">Live instances that should apply the event.</param>
/// <param name="Pending">Live instances expected to apply it that have not reported it yet.</param>
public sealed record RevocationDelivery(
    Guid EventId, string Type, DateTimeOffset CreatedAt, DateTimeOffset? PublishedAt, int Expected,
    IReadOnlyList<AppliedInstance> Applied, IReadOnlyList<string> Pending);

/// <param name="Service">Null once the instance is long gone and forgotten.</param>
/// <param name="LatencyMs">From the event's creation to the instance's deny-list holding it.</param>
public sealed record AppliedInstance(string InstanceId, string? Service, DateTimeOffset AppliedAt, double LatencyMs);
