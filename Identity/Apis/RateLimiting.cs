using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.RateLimiting;
using IPNetwork = System.Net.IPNetwork;

namespace Platform.Identity.Apis;

/// <summary>Throttles credential guessing and sign-up floods per client address and endpoint.</summary>
public static class RateLimiting
{
    public const string PerClient = "per-client";

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
        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddOptions<RateLimiterOptions>().Configure<IOptions<IdentityServiceOptions>>((limiter, options) =>
        {
            var settings = options.Value.RateLimit;
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(PerClient, context => RateLimitPartition.GetFixedWindowLimiter(
                $"{context.Connection.RemoteIpAddress}|{context.Request.Path}",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = settings.PermitLimit, Window = settings.Window, QueueLimit = 0 }));
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
