using MassTransit;

namespace Platform.ResourceServer.Storage;

/// <summary>
/// Bound to the service's durable shared queue: one instance persists each event, and events published while every
/// instance is down wait in the queue. The upsert makes redelivery harmless.
/// </summary>
public sealed class RevocationStoreConsumer(RevocationStore store) : IConsumer<UserDeactivated>, IConsumer<SessionRevoked>
{
    public Task Consume(ConsumeContext<UserDeactivated> context) =>
        store.UpsertAsync(RevocationKinds.User, context.Message.UserId, context.Message.UserId,
            context.Message.DeactivatedAt, context.CancellationToken);

    public Task Consume(ConsumeContext<SessionRevoked> context) =>
        store.UpsertAsync(RevocationKinds.Session, context.Message.SessionId, context.Message.UserId,
            context.Message.RevokedAt, context.CancellationToken);
}
