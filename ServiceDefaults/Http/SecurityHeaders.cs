using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Net.Http.Headers;

namespace Platform.ServiceDefaults.Http;

/// <summary>Response headers every platform API sends (OWASP ASVS 5 §3.4): no sniffing, no server banner, no caching of personal data.</summary>
public static class SecurityHeaders
{
    /// <summary>
    /// Turns the headers on for every response of the service. The middleware goes in front of the whole pipeline
    /// (a startup filter), so a service cannot forget it or place it after a middleware that answers on its own
    /// (exception handler, authentication challenge, rate limiter).
    /// </summary>
    public static IServiceCollection AddPlatformSecurityHeaders(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        // Nothing in a Server header should tell an attacker which exploits to try.
        services.Configure<KestrelServerOptions>(kestrel => kestrel.AddServerHeader = false);
        services.AddTransient<IStartupFilter, SecurityHeadersStartupFilter>();
        return services;
    }

    /// <summary>
    /// Adds <c>X-Content-Type-Options: nosniff</c> to every response, and <c>Cache-Control: no-store</c> to every
    /// response that does not choose its own caching (JWKS does), so a shared cache never keeps an answer given to a token.
    /// </summary>
    public static IApplicationBuilder UsePlatformSecurityHeaders(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Use((context, next) =>
        {
            context.Response.OnStarting(static state =>
            {
                var headers = ((HttpResponse)state).Headers;
                headers[HeaderNames.XContentTypeOptions] = "nosniff";
                if (!headers.ContainsKey(HeaderNames.CacheControl))
                    headers[HeaderNames.CacheControl] = "no-store";
                return Task.CompletedTask;
            }, context.Response);
            return next(context);
        });
    }

    private sealed class SecurityHeadersStartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UsePlatformSecurityHeaders();
            next(app);
        };
    }
}
