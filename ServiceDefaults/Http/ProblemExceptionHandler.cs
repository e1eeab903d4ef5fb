using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Platform.ServiceDefaults.Http;

/// <summary>
/// Turns what a client or an outage causes into problem details instead of a 500: an unreadable body or parameter is
/// the client's fault (4xx), an unreachable database a temporary 503, a value the database refuses as data a 400.
/// Bodies never echo the request, because the exception message can quote it.
/// </summary>
internal sealed partial class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger)
    : IExceptionHandler
{
    private const string Unreadable = "The request could not be read: check the content type, the JSON and the parameters.";
    private const string OutOfRange = "A value in the request is outside what this API accepts.";

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail, cause) = Classify(exception);
        if (status is null)
            return false;

        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            // The type is enough to tell an outage apart; the message can name hosts and users.
            LogDatabaseUnavailable(logger, exception.GetType().Name);
            httpContext.Response.Headers.RetryAfter = "5";
        }
        else if (cause is PostgresException refused)
        {
            // Input the endpoint should have validated reached the database: worth a look, not an outage alarm.
            // The SQL state says which rule; the message could quote the value.
            LogValueRefused(logger, refused.SqlState);
        }

        httpContext.Response.StatusCode = status.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }

    /// <returns>The answer, and the exception in the chain that decided it.</returns>
    private static (int? Status, string? Title, string? Detail, Exception? Cause) Classify(Exception exception)
    {
        // The outermost known cause wins: EF and the JSON reader wrap what they met.
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } bad:
                    return (bad.StatusCode, "Request body too large", "The request body is larger than this API accepts.", bad);
                case BadHttpRequestException bad:
                    return (bad.StatusCode, "Malformed request", Unreadable, bad);
                case JsonException json:
                    return (StatusCodes.Status400BadRequest, "Malformed request", Unreadable, json);
                case NpgsqlException database when DatabaseFailures.IsOutage(database):
                    return (StatusCodes.Status503ServiceUnavailable, "Service temporarily unavailable", "Try again in a few seconds.", database);
                case PostgresException refused when DatabaseFailures.IsRefusedValue(refused):
                    return (StatusCodes.Status400BadRequest, "Value out of range", OutOfRange, refused);
            }
        }

        return (null, null, null, null);
    }

    [LoggerMessage(LogLevel.Warning, "The database refused a value from a request (SQL state {SqlState}); answering 400.")]
    private static partial void LogValueRefused(ILogger logger, string sqlState);

    [LoggerMessage(LogLevel.Error, "The database is unavailable ({ExceptionType}); answering 503.")]
    private static partial void LogDatabaseUnavailable(ILogger logger, string exceptionType);
}
