using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace Platform.ServiceDefaults.Http;

/// <summary>
/// Refuses big bodies before anything reads them: a declared length over the limit is a 413 problem at once, and an
/// undeclared (chunked) one is cut off while it streams, by the server's own limit and by
/// <see cref="BoundedRequestBody"/> (the platform's exception handler turns either into the same 413). Without it Kestrel's 30 MB default lets an anonymous client make the JSON reader
/// hold tens of megabytes before any length rule runs.
/// </summary>
public static class RequestBodyLimit
{
    /// <summary>What an API of the platform accepts unless it says otherwise.</summary>
    public const long DefaultMaxBytes = 64 * 1024;

    /// <summary>Sets the server-wide limit; <see cref="UseRequestBodyLimit"/> then answers over-long declared bodies.</summary>
    public static WebApplicationBuilder AddRequestBodyLimit(this WebApplicationBuilder builder, long maxBytes = DefaultMaxBytes)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = maxBytes);
        builder.Services.Configure<RequestBodyLimitOptions>(options => options.MaxBytes = maxBytes);
        return builder;
    }

    /// <summary>Early in the pipeline, before authentication: a body too large is refused whoever sends it.</summary>
    public static IApplicationBuilder UseRequestBodyLimit(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var serverMaxBytes = app.ApplicationServices.GetRequiredService<IOptions<RequestBodyLimitOptions>>().Value.MaxBytes;
        return app.Use(async (context, next) =>
        {
            var maxBytes = EndpointLimit(context) ?? serverMaxBytes;
            if (context.Request.ContentLength > maxBytes)
            {
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context,
                    ProblemDetails = { Status = StatusCodes.Status413PayloadTooLarge, Title = "Request body too large",
                        Detail = $"Request bodies are limited to {maxBytes} bytes." },
                });
                return;
            }

            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
                limit.MaxRequestBodySize = maxBytes;
            // An undeclared length is counted as it is read, whatever the server enforces on its own.
            if (context.Request.ContentLength is null && context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody != false)
                context.Request.Body = new BoundedRequestBody(context.Request.Body, maxBytes);
            await next(context);
        });
    }

    /// <summary>
    /// A route that takes a list (say, a bulk operation) declares its own limit with <see cref="IRequestSizeLimitMetadata"/>
    /// (<c>RequestSizeLimitAttribute</c>); every other route keeps the server's. The endpoint is known here because
    /// routing runs first.
    /// </summary>
    private static long? EndpointLimit(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize;
}

/// <summary>The limit <see cref="RequestBodyLimit.UseRequestBodyLimit"/> enforces.</summary>
public sealed class RequestBodyLimitOptions
{
    public long MaxBytes { get; set; } = RequestBodyLimit.DefaultMaxBytes;
}
