using MassTransit;

namespace Platform.ResourceServer.Storage;

/// <summary>
/// Bound to the service's durable shared queue: one instance persists each event, and events published while every
/// instance is down wait in the queue. The upsert makes redelivery harmless.
/// </summary>
/// <remarks>
/// Each event also goes into this process's deny-list. Events that waited in the shared queue while every instance
/// was down reach no instance queue (those are new), and the instance that drains them may already have loaded the
/// table; without this they would be stored yet enforced nowhere until a restart. Applying twice is idempotent.
/// </remarks>
public sealed class RevocationStoreConsumer(RevocationStore store, DenyList denyList, RevocationEventBounds bounds)
    : IConsumer<UserDeactivated>, IConsumer<SessionRevoked>, IConsumer<ClientDisabled>
{
    public Task Consume(ConsumeContext<UserDeactivated> context) => StoreAsync(context.Message, context.CancellationToken);

    public Task Consume(ConsumeContext<ClientDisabled> context) =>
        StoreAsync(DenyListConsumer.AsDeactivation(context.Message), context.CancellationToken);

    /// <summary>A deactivation of a subject: a user, or a disabled service client (its tokens' <c>sub</c>).</summary>
    private Task StoreAsync(UserDeactivated message, CancellationToken cancellationToken)
    {
        if (!bounds.Admits(message, RevocationSources.StoreQueue))
            return Task.CompletedTask;
        denyList.DeactivateUser(message.UserId, message.DeactivatedAt);
        return store.UpsertAsync(RevocationKinds.User, message.UserId, message.UserId, message.DeactivatedAt, cancellationToken);
    }

    public Task Consume(ConsumeContext<SessionRevoked> context)
    {
        var message = context.Message;
        if (!bounds.Admits(message, RevocationSources.StoreQueue))
            return Task.CompletedTask;
        denyList.RevokeSession(message.SessionId, message.RevokedAt);
        return store.UpsertAsync(RevocationKinds.Session, message.SessionId, message.UserId, message.RevokedAt, context.CancellationToken);
    }
}
