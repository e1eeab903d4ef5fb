namespace Platform.ServiceDefaults.Http;

public static class ProblemDetailsExtensions
{
    /// <summary>
    /// Problem details for every error answer, and the platform's exception handler: unreadable requests are 4xx and
    /// an unreachable database is 503 with <c>Retry-After</c>, never a 500. The service still calls
    /// <c>UseExceptionHandler()</c> and <c>UseStatusCodePages()</c> where its pipeline starts.
    /// </summary>
    public static IServiceCollection AddPlatformProblemDetails(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemExceptionHandler>();
        return services;
    }
}
