namespace Platform.Identity.SharedSignals;

public static class SharedSignalsExtensions
{
    /// <summary>The transmitter: its settings (checked on start), the fan-out into delivery rows, signing, poll and push delivery.</summary>
    public static IServiceCollection AddSharedSignals(this IServiceCollection services)
    {
        services.AddOptions<SharedSignalsOptions>().BindConfiguration(SharedSignalsOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SharedSignalsOptions>, SharedSignalsOptionsValidator>();
        services.AddKeyedSingleton<OutboxSignal>(SignalFanOut.SignalKey);
        services.AddScoped<SignalFanOut>();
        services.AddScoped<PollDelivery>();
        services.AddSingleton<SetSigner>();
        services.AddSingleton<PushSender>();
        // No redirects (a receiver cannot send SETs elsewhere), and no request logging: an endpoint URL may carry a secret.
        services.AddHttpClient(PushSender.ClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
            .RemoveAllLoggers();
        services.AddHostedService<PushDispatcher>();
        return services;
    }
}
