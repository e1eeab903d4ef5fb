namespace Platform.Identity.SharedSignals;

/// <summary>
/// RFC 8936 poll delivery for one stream: acknowledged SETs are settled, ones the receiver reports as errors are given
/// up on, and the oldest waiting ones are signed and returned. A SET stays waiting, and is returned again with the same
/// <c>jti</c>, until it is acknowledged or reported.
/// </summary>
public sealed class PollDelivery(IdentityDb db, SetSigner signer, TimeProvider time, IOptions<SharedSignalsOptions> options)
{
    private static readonly TimeSpan WaitStep = TimeSpan.FromMilliseconds(250);

    public async Task<PollResponse> PollAsync(SsfStreamConfig stream, PollRequest request, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var acks = Ids(request.Ack);
        var pending = db.SsfDeliveries.Where(d => d.StreamId == stream.Id && d.DeliveredAt == null && d.FailedAt == null);
        if (acks.Length > 0)
            await pending.Where(d => acks.Contains(d.Id)).ExecuteUpdateAsync(set => set.SetProperty(d => d.DeliveredAt, now), cancellationToken);
        foreach (var (jti, error) in request.SetErrs ?? [])
            await ReportAsync(stream, jti, error, now, cancellationToken);

        var max = Math.Clamp(request.MaxEvents ?? options.Value.MaxPollEvents, 0, options.Value.MaxPollEvents);
        var deadline = DateTimeOffset.UtcNow + (request.ReturnImmediately == false ? options.Value.LongPollTimeout : TimeSpan.Zero);
        while (true)
        {
            // A paused stream keeps its SETs and hands out none; acknowledgements still count.
            var rows = stream.Status != "enabled" ? [] : await pending.AsNoTracking().OrderBy(d => d.CreatedAt).ThenBy(d => d.Id).Take(max + 1).ToListAsync(cancellationToken);
            if (rows.Count > 0 || max == 0 || DateTimeOffset.UtcNow >= deadline)
                return new PollResponse(rows.Take(max).ToDictionary(r => r.Id.ToString(), r => signer.Sign(r, stream.ClientId)), rows.Count > max);
            await Task.Delay(WaitStep, cancellationToken);
        }
    }

    private async Task ReportAsync(SsfStreamConfig stream, string jti, SetError? error, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(jti, out var id))
            return;
        var reason = $"receiver reported {PushSender.SafeCode(error?.Err)}";
        var reported = await db.SsfDeliveries.Where(d => d.Id == id && d.StreamId == stream.Id && d.DeliveredAt == null && d.FailedAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(d => d.FailedAt, now).SetProperty(d => d.LastError, reason), cancellationToken);
        if (reported > 0)
        {
            await db.SsfStreams.Where(s => s.Id == stream.Id).ExecuteUpdateAsync(set => set
                .SetProperty(s => s.FailedDeliveries, s => s.FailedDeliveries + 1)
                .SetProperty(s => s.LastFailureAt, now)
                .SetProperty(s => s.LastError, reason), cancellationToken);
        }
    }

    private static Guid[] Ids(string?[]? values) =>
        [.. (values ?? []).Select(v => Guid.TryParse(v, out var id) ? id : Guid.Empty).Where(id => id != Guid.Empty).Distinct()];
}
