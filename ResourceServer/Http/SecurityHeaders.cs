using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Platform.ResourceServer.Http;

/// <summary>Response headers every platform API sends (OWASP ASVS 5 §3.4): no sniffing, no server banner, no caching of personal data.</summary>
public static class SecurityHeaders
{
    /// <summary>Stops Kestrel announcing itself in a <c>Server</c> header: nothing tells an attacker which exploits to try.</summary>
    public static IWebHostBuilder WithoutServerHeader(this IWebHostBuilder webHost)
    {
        ArgumentNullException.ThrowIfNull(webHost);
        return webHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
    }

    /// <summary>
    /// Adds <c>X-Content-Type-Options: nosniff</c> to every response, and <c>Cache-Control: no-store</c> to every
    /// response that does not choose its own caching, so a shared cache never keeps an answer given to a token.
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
}
