using System.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Platform.ServiceDefaults.Http;

/// <summary>
/// The one line per request that ASP.NET Core's hosting log would write, with the query redacted
/// (<see cref="QueryRedaction"/>). The hosting log itself writes the raw URL before any middleware runs, so it is
/// silenced below Warning (<see cref="HostingCategory"/>) and this takes its place, outermost in every pipeline.
/// </summary>
internal sealed partial class RequestLog(RequestDelegate next, ILogger<RequestLog> logger)
{
    /// <summary>The category whose "Request starting/finished" lines carry the full URL.</summary>
    public const string HostingCategory = "Microsoft.AspNetCore.Hosting.Diagnostics";

    public async Task InvokeAsync(HttpContext context)
    {
        if (!logger.IsEnabled(LogLevel.Information))
        {
            await next(context);
            return;
        }

        var request = context.Request;
        var target = request.PathBase.Add(request.Path).ToString() + QueryRedaction.Redact(request.QueryString.Value);
        LogStarting(logger, request.Protocol, request.Method, target);
        var started = Stopwatch.GetTimestamp();
        var failed = true;
        try
        {
            await next(context);
            failed = false;
        }
        finally
        {
            // An exception no handler took becomes the server's 500, whatever the status said so far.
            var status = failed ? StatusCodes.Status500InternalServerError : context.Response.StatusCode;
            LogFinished(logger, request.Method, target, status, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    // The same words as the hosting log's lines, so what counted or searched those still finds these.
    [LoggerMessage(LogLevel.Information, "Request starting {Protocol} {Method} {Target}")]
    private static partial void LogStarting(ILogger logger, string protocol, string method, string target);

    [LoggerMessage(LogLevel.Information, "Request finished {Method} {Target} answered {StatusCode} in {ElapsedMilliseconds:0.0} ms")]
    private static partial void LogFinished(ILogger logger, string method, string target, int statusCode, double elapsedMilliseconds);

    /// <summary>Puts the log first, so it sees every request and the final status, including the exception handler's.</summary>
    internal sealed class StartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseMiddleware<RequestLog>();
            next(app);
        };
    }
}
