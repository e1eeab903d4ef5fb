using MassTransit;

namespace Platform.ResourceServer.Revocation;

/// <summary>
/// Bound to this instance's own temporary queue, so every instance applies every event (fan-out), not one instance
/// per event. Applying is idempotent: a redelivery finds the entry already there.
/// </summary>
public sealed class DenyListConsumer(DenyList denyList) : IConsumer<UserDeactivated>, IConsumer<SessionRevoked>
{
    public Task Consume(ConsumeContext<UserDeactivated> context)
    {
        denyList.DeactivateUser(context.Message.UserId, context.Message.DeactivatedAt);
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<SessionRevoked> context)
    {
        denyList.RevokeSession(context.Message.SessionId, context.Message.RevokedAt);
        return Task.CompletedTask;
    }
}
