using MassTransit;

namespace Platform.ResourceServer.Revocation;

/// <summary>
/// Bound to this instance's own temporary queue, so every instance applies every event (fan-out), not one instance
/// per event. Applying is idempotent: a redelivery finds the entry already there. An event out of bounds is dropped
/// (see <see cref="RevocationEventBounds"/>): redelivering it would not make it honest.
/// </summary>
/// <remarks>
/// A disabled service client is a subject whose tokens are refused from a time on, as a deactivated user is: its
/// tokens' <c>sub</c> is the client id, so it goes on the deny-list as that subject's deactivation, and every check,
/// the token cache, the table and the catch-up treat the two alike.
/// </remarks>
public sealed class DenyListConsumer(DenyList denyList, RevocationEventBounds bounds)
    : IConsumer<UserDeactivated>, IConsumer<SessionRevoked>, IConsumer<ClientDisabled>
{
    public Task Consume(ConsumeContext<UserDeactivated> context)
    {
        if (bounds.Admits(context.Message, RevocationSources.InstanceQueue))
            denyList.DeactivateUser(context.Message.UserId, context.Message.DeactivatedAt);
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<ClientDisabled> context)
    {
        var deactivation = AsDeactivation(context.Message);
        if (bounds.Admits(deactivation, RevocationSources.InstanceQueue))
            denyList.DeactivateUser(deactivation.UserId, deactivation.DeactivatedAt);
        return Task.CompletedTask;
    }

    /// <summary>A client's disabling as the deactivation of the subject its tokens name.</summary>
    internal static UserDeactivated AsDeactivation(ClientDisabled message) => new(message.ClientId, message.DisabledAt, null);

    public Task Consume(ConsumeContext<SessionRevoked> context)
    {
        if (bounds.Admits(context.Message, RevocationSources.InstanceQueue))
            denyList.RevokeSession(context.Message.SessionId, context.Message.RevokedAt);
        return Task.CompletedTask;
    }
}
