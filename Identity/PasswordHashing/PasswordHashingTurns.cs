using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Platform.Identity.Apis;

namespace Platform.Identity.PasswordHashing;

/// <summary>
/// Gives each request to an endpoint that checks or hashes a password (those under the
/// <see cref="RateLimiting.PasswordPerClient"/> limit: login, sign-up, password change and reset) its hashing turn
/// before the endpoint runs. The wait is asynchronous: queued logins hold no thread, so the thread pool stays free for
/// refresh, JWKS and the operator API. The turn covers the request's hashes, one after another.
/// </summary>
public static class PasswordHashingTurns
{
    /// <summary>After the rate limiter, so a request it refuses never takes a turn.</summary>
    public static WebApplication UsePasswordHashingTurns(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (context.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName != RateLimiting.PasswordPerClient)
            {
                await next(context);
                return;
            }

            var gate = context.RequestServices.GetRequiredService<PasswordHashingGate>();
            using RateLimitLease turn = await gate.EnterAsync(context.RequestAborted);
            PasswordHashingGate.HeldTurn.Value = turn;
            try
            {
                await next(context);
            }
            finally
            {
                PasswordHashingGate.HeldTurn.Value = null;
            }
        });
        return app;
    }
}
