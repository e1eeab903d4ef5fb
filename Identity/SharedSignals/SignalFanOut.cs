namespace Platform.Identity.SharedSignals;

/// <summary>
/// Turns the security events of one unit of work into delivery rows, one per event and stream that takes its type, in
/// the same transaction: set-based, so a deactivation of ten thousand users is one INSERT, and nothing at all is written
/// while no stream wants the types.
/// </summary>
public sealed class SignalFanOut(IdentityDb db, TimeProvider time, [FromKeyedServices(SignalFanOut.SignalKey)] OutboxSignal pushSignal)
{
    /// <summary>The key of the <see cref="OutboxSignal"/> that wakes the push dispatcher after a commit.</summary>
    public const string SignalKey = "ssf";

    /// <summary>
    /// Up to this many events go straight into the INSERT, which writes nothing when no stream wants them: a single
    /// deactivation or logout then makes one round trip here, not two, before its event can leave.
    /// </summary>
    private const int SmallChange = 16;

    /// <returns>How many delivery rows were written.</returns>
    public async Task<int> WriteAsync(IReadOnlyCollection<SecurityEvent> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
            return 0;
        var chosen = events;
        if (events.Count > SmallChange)
        {
            // One small read first: with no stream asking for these types, ten thousand payloads need not travel.
            var wanted = await db.Database.SqlQuery<string>($"""
                SELECT DISTINCT unnest("EventsDelivered") AS "Value" FROM "SsfStreams" WHERE "Status" <> 'disabled'
                """).ToListAsync(cancellationToken);
            chosen = [.. events.Where(e => wanted.Contains(e.Type))];
            if (chosen.Count == 0)
                return 0;
        }

        var types = chosen.Select(e => e.Type).ToArray();
        var payloads = chosen.Select(e => e.ToPayload()).ToArray();
        var now = time.GetUtcNow();
        return await db.Database.ExecuteSqlAsync($"""
            INSERT INTO "SsfDeliveries" ("Id", "StreamId", "EventType", "Payload", "CreatedAt", "NextAttemptAt", "Attempts")
            SELECT gen_random_uuid(), s."Id", e.type, e.payload::jsonb, {now}, {now}, 0
            FROM unnest({types}, {payloads}) WITH ORDINALITY AS e(type, payload, n)
            JOIN "SsfStreams" s ON e.type = ANY(s."EventsDelivered") AND s."Status" <> 'disabled'
            ORDER BY e.n
            """, cancellationToken);
    }

    /// <summary>One event for one stream only (the verification event), whatever types the stream asked for.</summary>
    public void WriteFor(SsfStreamConfig stream, SecurityEvent securityEvent)
    {
        var now = time.GetUtcNow();
        db.SsfDeliveries.Add(new SsfDelivery
        {
            Id = Guid.CreateVersion7(now),
            StreamId = stream.Id,
            EventType = securityEvent.Type,
            Payload = securityEvent.ToPayload(),
            CreatedAt = now,
            NextAttemptAt = now,
        });
    }

    /// <summary>After the commit: push waiting SETs now rather than at the next poll.</summary>
    public void Wake() => pushSignal.Notify();
}
