using MassTransit;
using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace Platform.ResourceServer.Revocation;

/// <summary>
/// Bound to this instance's own queue, like <see cref="DenyListConsumer"/>, so every instance hears it. The key id goes
/// on the deny-list first, which refuses its tokens at once, cached or not, even while the keys JwtBearer holds still
/// list it; then the JWKS is fetched again, to drop the key and learn the one that signs in its place.
/// </summary>
public sealed class SigningKeyRevokedConsumer(DenyList denyList, IOptionsMonitor<JwtBearerOptions> bearer) : IConsumer<SigningKeyRevoked>
{
    public Task Consume(ConsumeContext<SigningKeyRevoked> context)
    {
        if (denyList.RevokeKey(context.Message.Kid, context.Message.RevokedAt))
            bearer.Get(JwtBearerDefaults.AuthenticationScheme).ConfigurationManager?.RequestRefresh();
        return Task.CompletedTask;
    }
}
