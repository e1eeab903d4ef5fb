using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.RateLimiting;
using Platform.Identity.RateLimits;
using IPNetwork = System.Net.IPNetwork;

namespace Platform.Identity.Apis;

/// <summary>
/// Throttles credential guessing and sign-up floods per client network and endpoint. The endpoint is the one routing
/// matched, not the path as sent, so no spelling of a path (case, a trailing slash) opens a bucket of its own; an
/// IPv6 client is counted by its /64, the smallest network one subscriber is usually given. The counts are kept in
/// PostgreSQL (<see cref="FixedWindowCounter"/>), so N instances behind one address allow a client the limit once,
/// not N times.
/// </summary>
public static class RateLimiting
{
    /// <summary>Endpoints whose work is cheap: token refresh, forgot-password.</summary>
    public const string PerClient = "per-client";

    /// <summary>Endpoints that check or hash a password (PBKDF2), with the smaller <see cref="RateLimitOptions.PasswordPermitLimit"/>.</summary>
    public const string PasswordPerClient = "password-per-client";

    public static WebApplicationBuilder AddIdentityRateLimiting(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<IdentityServiceOptions>>((forwarded, options) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor;
            // The defaults trust loopback; only the configured proxies may name a client.
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var proxy in options.Value.RateLimit.TrustedProxies)
            {
                if (IPAddress.TryParse(proxy, out var address))
                    forwarded.KnownProxies.Add(address);
                else
                    forwarded.KnownIPNetworks.Add(IPNetwork.Parse(proxy));
            }
        });
        builder.Services.AddSingleton<FixedWindowCounter>();
        builder.Services.AddHostedService<RateLimitPurge>();
        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddOptions<RateLimiterOptions>().Configure<IOptions<IdentityServiceOptions>, FixedWindowCounter>((limiter, options, counter) =>
        {
            var settings = options.Value.RateLimit;
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(PerClient, context => RateLimitPartition.Get(
                PartitionKey(context), key => new SharedFixedWindowLimiter(counter, PerClient, key, settings.PermitLimit, settings.Window)));
            limiter.AddPolicy(PasswordPerClient, context => RateLimitPartition.Get(
                PartitionKey(context), key => new SharedFixedWindowLimiter(counter, PasswordPerClient, key, settings.PasswordPermitLimit, settings.Window)));
            limiter.OnRejected = async (rejected, cancellationToken) =>
            {
                var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
                    ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
                    : (int)Math.Ceiling(settings.Window.TotalSeconds);
                var http = rejected.HttpContext;
                http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
                await problems.WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails = { Status = StatusCodes.Status429TooManyRequests, Title = "Too many requests", Detail = $"Try again in {seconds} seconds." },
                });
            };
        });
        return builder;
    }

    /// <summary>The client's network and the endpoint routing matched (a policy runs only on matched endpoints).</summary>
    public static string PartitionKey(HttpContext context) =>
        $"{ClientNetwork(context.Connection.RemoteIpAddress)}|{context.GetEndpoint()?.DisplayName}";

    /// <summary>
    /// An IPv4 address as it is (also when it arrives IPv4-mapped over IPv6); an IPv6 address as its /64 network,
    /// since one subscriber holds a whole /64 and could otherwise take a new bucket with every address in it.
    /// </summary>
    public static string ClientNetwork(IPAddress? address) => Accounts.ClientNetwork.Of(address, ipv4PrefixLength: 32);

    /// <summary>
    /// Takes the client address from <c>X-Forwarded-For</c> when, and only when, the request came through a trusted
    /// proxy. Not added without one: the middleware trusts every sender when its lists are empty.
    /// </summary>
    public static WebApplication UseTrustedProxyClientAddress(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<IdentityServiceOptions>>().Value.RateLimit.TrustedProxies.Length > 0)
            app.UseForwardedHeaders();
        return app;
    }
}
