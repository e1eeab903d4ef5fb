using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Platform.Identity.Accounts;
using Platform.Identity.Apis;
using Platform.Identity.Authentication;
using Platform.Identity.Clients;
using Platform.Identity.DataProtection;
using Platform.Identity.Diagnostics;
using Platform.Identity.Mail;
using Platform.Identity.OAuth;
using Platform.Identity.PasswordHashing;
using Platform.Identity.Sessions;
using Platform.Identity.SharedSignals;
using Platform.Identity.Tokens;
using Platform.ServiceDefaults;
using Platform.ServiceDefaults.Configuration;
using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Http;

namespace Platform.Identity.Extensions;

public static class IdentityServiceExtensions
{
    /// <summary>OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256.</summary>
    public const int PasswordHashIterations = 600_000;

    /// <summary>Identity's bodies are a few short fields (e-mail, password, names, tokens); nothing needs more.</summary>
    public const long MaxRequestBodyBytes = 16 * 1024;

    public static WebApplicationBuilder AddIdentityServices(this WebApplicationBuilder builder)
    {
        builder.AddRequestBodyLimit(MaxRequestBodyBytes);
        var services = builder.Services;
        services.AddOptions<IdentityServiceOptions>().BindConfiguration(IdentityServiceOptions.Section)
            .PostConfigure(IdentityServiceOptions.Normalise).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<IdentityServiceOptions>, IdentityServiceOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddSingleton<IdentityMetrics>();

        var connectionString = builder.Configuration.GetRequiredConnectionString("Identity");
        services.AddDbContext<IdentityDb>(db => db.UseNpgsql(connectionString));

        services.AddIdentityCore<User>(identity =>
            {
                identity.User.RequireUniqueEmail = true;
                identity.User.AllowedUserNameCharacters = "";
                identity.Password.RequiredLength = 12;
                identity.Password.RequireDigit = false;
                identity.Password.RequireLowercase = false;
                identity.Password.RequireUppercase = false;
                identity.Password.RequireNonAlphanumeric = false;
                identity.Password.RequiredUniqueChars = 1;
                // LoginService applies this threshold and period per client network. ASP.NET Identity's own lockout,
                // which shuts an account out from everywhere, stays off.
                identity.Lockout.AllowedForNewUsers = false;
                identity.Lockout.MaxFailedAccessAttempts = 5;
                identity.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(5);
            })
            .AddRoles<IdentityRole<Guid>>()
            .AddEntityFrameworkStores<IdentityDb>()
            .AddDefaultTokenProviders()
            .AddPasswordValidator<CommonPasswordValidator>();
        services.Configure<PasswordHasherOptions>(hasher => hasher.IterationCount = PasswordHashIterations);
        services.AddPasswordHashingGate();
        services.Configure<DataProtectionTokenProviderOptions>(tokens => tokens.TokenLifespan = TimeSpan.FromMinutes(30));
        services.AddIdentityDataProtection();

        services.AddSingleton<KeyEncryption>();
        services.AddSingleton<SigningKeyStore>();
        services.AddSingleton<SpareKeyPair>();
        services.AddSingleton<KeyRotator>();
        services.AddHostedService<KeyRotationService>();
        services.AddHostedService<KeyChangeListener>();
        services.AddSingleton<TokenIssuer>();
        services.AddScoped<LoginService>();
        services.AddScoped<PasswordResetRequests>();
        services.AddScoped<SessionService>();
        services.AddScoped<Deactivation>();
        services.AddScoped<UnitOfWork>();
        services.AddScoped<ClientAuthentication>();
        services.AddScoped<ServiceClients>();
        services.AddScoped<TokenGrants>();
        services.AddScoped<PresentedTokens>();
        services.AddScoped<TokenIntrospection>();
        services.AddScoped<TokenRevocation>();
        services.AddIdentityMail();
        services.AddSharedSignals();

        services.AddPlatformProblemDetails();
        services.AddHealthChecks()
            .AddNpgSql(connectionString, name: "database", tags: [ServiceDefaultsExtensions.ReadyTag])
            .AddCheck<OutboxHealthCheck>("outbox", failureStatus: HealthStatus.Degraded, tags: [ServiceDefaultsExtensions.ReadyTag]);

        builder.AddIdentityAuthentication();
        builder.AddIdentityRateLimiting();
        builder.AddIdentityMessaging();
        builder.AddIdentityOpenApiExamples();
        return builder;
    }

    /// <summary>Migrates the database, creates the first signing key, data-protection key and operator; runs before the server listens.</summary>
    public static async Task InitializeIdentityAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await app.Services.MigrateDbContextAsync<IdentityDb>(CancellationToken.None);
        await scope.ServiceProvider.GetRequiredService<KeyRotator>().RotateIfDueAsync(force: false, CancellationToken.None);
        scope.ServiceProvider.GetRequiredService<SigningKeyStore>().EnsureSigningKeyOpens();
        await IdentityDataProtection.EnsureKeyRingAsync(app.Services, CancellationToken.None);
        await BootstrapAdmin.EnsureAsync(scope.ServiceProvider, CancellationToken.None);
    }

    /// <summary>The middleware every request passes, in order: client address, errors, body limit, authentication, rate limits, hashing turns.</summary>
    public static WebApplication UseIdentityPipeline(this WebApplication app)
    {
        app.UseTrustedProxyClientAddress();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRequestBodyLimit();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UsePasswordHashingTurns();
        return app;
    }

    public static WebApplication MapIdentityApi(this WebApplication app)
    {
        app.MapDiscoveryApi();
        app.MapUsersApi();
        app.MapAuthApi();
        app.MapConnectApi();
        app.MapPasswordsApi();
        app.MapAdminUsersApi();
        app.MapAdminOperationsApi();
        app.MapAdminClientsApi();
        app.MapAdminRevocationsApi();
        app.MapSharedSignalsApi();
        return app;
    }
}
