using MassTransit;

namespace Platform.ResourceServer.Receipts;

/// <summary>
/// Which events an instance confirms with <see cref="RevocationApplied"/> once its deny-list holds them: the one list
/// to extend when a new kind of revocation reaches the instance queue.
/// </summary>
public static class RevocationReceipts
{
    private static readonly HashSet<Type> Reported =
    [
        typeof(UserDeactivated),
        typeof(SessionRevoked),
        typeof(SigningKeyRevoked),
        typeof(ClientDisabled),
    ];

    internal static bool IsReported(ConsumeContext context) => Reported.Any(context.HasMessageType);
}

/// <summary>
/// On the instance queue: once the consumers of a reported event returned, the deny-list holds it, so its receipt is
/// queued (never sent from here: the acknowledgement of the event does not wait for the broker). A consumer that
/// threw yields no receipt.
/// </summary>
/// <remarks>
/// The event's identity is its message id, which Identity sets to the outbox row id: a redelivery carries the same
/// one, so it yields the same (event, instance) pair, and no contract has to repeat it in its fields.
/// </remarks>
internal sealed class ReceiptFilter(ReceiptBuffer buffer) : IFilter<ConsumeContext>
{
    public async Task Send(ConsumeContext context, IPipe<ConsumeContext> next)
    {
        await next.Send(context);
        if (context.MessageId is { } eventId && RevocationReceipts.IsReported(context))
            buffer.Add(eventId);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("revocation-receipts");
}
