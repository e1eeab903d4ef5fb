namespace Platform.Identity.Revocation;

public static class RevocationCatchUpExtensions
{
    /// <summary>The page size of catch-up answers, checked on start.</summary>
    public static IServiceCollection AddRevocationCatchUp(this IServiceCollection services)
    {
        services.AddOptions<CatchUpOptions>().BindConfiguration(CatchUpOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CatchUpOptions>, CatchUpOptionsValidator>();
        return services;
    }
}
