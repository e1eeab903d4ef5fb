using MassTransit;

namespace Platform.ResourceServer.Revocation;

/// <summary>
/// Bound to this instance's own temporary queue, so every instance applies every event (fan-out), not one instance
/// per event. Applying is idempotent: a redelivery finds the entry already there. An event out of bounds is dropped
/// (see <see cref="RevocationEventBounds"/>): redelivering it would not make it honest.
/// </summary>
public sealed class DenyListConsumer(DenyList denyList, RevocationEventBounds bounds) : IConsumer<UserDeactivated>, IConsumer<SessionRevoked>
{
    public Task Consume(ConsumeContext<UserDeactivated> context)
    {
        if (bounds.Admits(context.Message, RevocationSources.InstanceQueue))
            denyList.DeactivateUser(context.Message.UserId, context.Message.DeactivatedAt);
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<SessionRevoked> context)
    {
        if (bounds.Admits(context.Message, RevocationSources.InstanceQueue))
            denyList.RevokeSession(context.Message.SessionId, context.Message.RevokedAt);
        return Task.CompletedTask;
    }
}
