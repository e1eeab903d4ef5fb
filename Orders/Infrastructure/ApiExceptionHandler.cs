using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Npgsql;

namespace Platform.Orders.Infrastructure;

/// <summary>
/// Turns what a client or an outage causes into problem details instead of a 500: a malformed or oversized body is
/// the client's fault (4xx), an unreachable database is a temporary 503. Bodies never echo the request.
/// </summary>
internal sealed partial class ApiExceptionHandler(IProblemDetailsService problems, ILogger<ApiExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title) = Classify(exception);
        if (status is null)
            return false;

        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            LogDatabaseUnavailable(logger, exception.GetType().Name);
            httpContext.Response.Headers.RetryAfter = "5";
        }

        httpContext.Response.StatusCode = status.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title },
        });
    }

    private static (int? Status, string? Title) Classify(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case BadHttpRequestException bad:
                    return (bad.StatusCode, bad.StatusCode == StatusCodes.Status413PayloadTooLarge
                        ? "Request body too large" : "Malformed request");
                case JsonException:
                    return (StatusCodes.Status400BadRequest, "Malformed request");
                case NpgsqlException:
                    return (StatusCodes.Status503ServiceUnavailable, "Service temporarily unavailable");
            }
        }

        return (null, null);
    }

    [LoggerMessage(LogLevel.Error, "The database is unavailable ({ExceptionType}); answering 503.")]
    private static partial void LogDatabaseUnavailable(ILogger logger, string exceptionType);
}
