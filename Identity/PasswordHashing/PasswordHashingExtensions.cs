using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Platform.Identity.PasswordHashing;

public static class PasswordHashingExtensions
{
    /// <summary>
    /// Puts every password hash behind <see cref="PasswordHashingGate"/>, settings checked on start, with threads kept
    /// free beside its turns (<see cref="HashingThreadReserve"/>). Call after <c>AddIdentityCore</c>: it replaces the
    /// hasher that registered.
    /// </summary>
    public static IServiceCollection AddPasswordHashingGate(this IServiceCollection services)
    {
        services.AddOptions<PasswordHashingOptions>().BindConfiguration(PasswordHashingOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PasswordHashingOptions>, PasswordHashingOptionsValidator>();
        services.AddSingleton<PasswordHashingMetrics>();
        services.AddSingleton<PasswordHashingGate>();
        services.AddHostedService<HashingThreadReserve>();
        services.Replace(ServiceDescriptor.Singleton<IPasswordHasher<User>, GatedPasswordHasher>());
        services.AddExceptionHandler<PasswordHashingBusyHandler>();
        return services;
    }
}
