using Microsoft.AspNetCore.Diagnostics;

namespace Platform.Identity.PasswordHashing;

/// <summary>No turn to hash a password came in time: the request is answered 503, the work it did so far rolled back.</summary>
public sealed class PasswordHashingBusyException : Exception
{
    public PasswordHashingBusyException()
        : base("Too many password hashes are waiting; the request was not processed.")
    {
    }

    public PasswordHashingBusyException(string message)
        : base(message)
    {
    }

    public PasswordHashingBusyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// Answers <see cref="PasswordHashingBusyException"/> with 503, <c>Retry-After</c> and a problem detail, beside the
/// platform's own exception handler: a busy hasher is a temporary state, like an unreachable database, never a 500.
/// </summary>
internal sealed class PasswordHashingBusyHandler(IProblemDetailsService problems, PasswordHashingGate gate) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not PasswordHashingBusyException)
            return false;

        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = gate.RetryAfterSeconds;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Service busy",
                Detail = $"Too many sign-ins are being checked at once. Try again in {gate.RetryAfterSeconds} seconds.",
            },
        });
    }
}
