namespace Platform.Identity.Mail;

public static class MailServiceExtensions
{
    /// <summary>Reset mail: its settings (checked on start), the per-address cap, the token encryption and the dispatcher.</summary>
    public static IServiceCollection AddIdentityMail(this IServiceCollection services)
    {
        services.AddOptions<MailOptions>().BindConfiguration(MailOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<MailOptions>, MailOptionsValidator>();
        services.AddSingleton<ResetMailLimiter>();
        services.AddSingleton<ResetTokenEncryption>();
        services.AddSingleton<SmtpMailSender>();
        services.AddKeyedSingleton<OutboxSignal>(MailDispatcher.SignalKey);
        services.AddHostedService<MailDispatcher>();
        return services;
    }
}
