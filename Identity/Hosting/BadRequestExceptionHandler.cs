using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace Platform.Identity.Hosting;

/// <summary>Malformed bodies, unreadable JSON and unbindable parameters are the client's error: 4xx, never 500.</summary>
internal sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var status = exception switch
        {
            BadHttpRequestException bad => bad.StatusCode,
            JsonException => StatusCodes.Status400BadRequest,
            _ => 0,
        };
        if (status == 0)
            return false;

        httpContext.Response.StatusCode = status;
        // The exception message can quote the body, so only a generic detail goes back.
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = status, Title = "Bad request", Detail = "The request could not be read: check the content type, the JSON and the parameters." },
        });
    }
}
