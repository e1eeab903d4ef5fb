using MassTransit;

namespace Platform.Identity.Revocation;

/// <summary>Lets a starting resource server catch up on every revocation a still-valid token could be subject to.</summary>
public sealed partial class GetActiveRevocationsConsumer(
    IdentityDb db,
    TimeProvider time,
    IOptions<IdentityServiceOptions> options,
    ILogger<GetActiveRevocationsConsumer> logger) : IConsumer<GetActiveRevocations>
{
    public async Task Consume(ConsumeContext<GetActiveRevocations> context)
    {
        var now = time.GetUtcNow();
        var since = now - options.Value.RevocationWindow;
        var users = await db.Users.AsNoTracking()
            .Where(u => u.DeactivatedAt != null && u.DeactivatedAt >= since)
            .Select(u => new RevokedUser(u.Id, u.DeactivatedAt!.Value))
            .ToListAsync(context.CancellationToken);
        var sessions = await db.Sessions.AsNoTracking()
            .Where(s => s.RevokedAt != null && s.RevokedAt >= since)
            .Select(s => new RevokedSession(s.Id, s.UserId, s.RevokedAt!.Value))
            .ToListAsync(context.CancellationToken);
        LogAnswering(logger, context.Message.RequestedBy, users.Count, sessions.Count);
        await context.RespondAsync(new ActiveRevocations(users, sessions, now));
    }

    [LoggerMessage(LogLevel.Information, "Answering {RequestedBy} with {Users} deactivations and {Sessions} session revocations")]
    private static partial void LogAnswering(ILogger logger, string requestedBy, int users, int sessions);
}
