using MassTransit;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Platform.ResourceServer.Diagnostics;
using Platform.ResourceServer.Receipts;
using Platform.ResourceServer.Storage;
using Platform.ResourceServer.Tokens;
using Platform.ServiceDefaults;
using Platform.ServiceDefaults.Configuration;
using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Messaging;

namespace Platform.ResourceServer;

/// <summary>What an API of the platform calls, once, to accept Identity's access tokens and honour revocations.</summary>
public static class PlatformResourceServerExtensions
{
    /// <summary>
    /// Adds locked-down JwtBearer validation against <c>{configSection}:Authority</c> and <c>{configSection}:Audience</c>,
    /// a deny-list fed from the bus (<c>ConnectionStrings:RabbitMq</c>) and persisted in the service's database
    /// (<c>ConnectionStrings:{connectionStringName}</c>), and a <c>ready</c> health check that passes once it is loaded.
    /// </summary>
    /// <param name="configureBus">Lets the API register its own consumers on the same bus.</param>
    public static IHostApplicationBuilder AddPlatformResourceServer(
        this IHostApplicationBuilder builder, string configSection, string connectionStringName,
        Action<IBusRegistrationConfigurator>? configureBus = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;

        services.AddOptions<ResourceServerOptions>().BindConfiguration(configSection).ValidateDataAnnotations().ValidateOnStart();
        var database = builder.Configuration.GetRequiredConnectionString(connectionStringName);
        var broker = RabbitMqConnection.FromConfiguration(builder.Configuration);

        services.TryAddSingleton(TimeProvider.System);
        services.AddProblemDetails();
        services.AddResourceServerDiagnostics();
        services.AddSingleton(sp =>
        {
            var metrics = sp.GetRequiredService<ResourceServerMetrics>();
            var settings = sp.GetRequiredService<IOptions<ResourceServerOptions>>().Value;
            var denyList = new DenyList(sp.GetRequiredService<TimeProvider>(), metrics, settings.RetentionAfterEvent,
                settings.MaxEntries, sp.GetRequiredService<ILogger<DenyList>>());
            metrics.EntriesSource = () => denyList.Count;
            metrics.OverCapacitySource = () => denyList.IsOverCapacity;
            return denyList;
        });
        services.AddSingleton<RevocationEventBounds>();
        services.AddSingleton<DenyListReadiness>();
        services.AddHealthChecks().AddCheck<DenyListReadiness>("deny-list", tags: [ServiceDefaultsExtensions.ReadyTag]);

        services.AddDbContext<RevocationDbContext>(options => options.UseNpgsql(
            database, npgsql => npgsql.MigrationsHistoryTable(RevocationDbContext.MigrationsHistoryTable)));
        // Before the bus, so the store's consumer and the catch-up meet the table.
        services.AddMigration<RevocationDbContext>();
        services.AddScoped<RevocationStore>();

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddSingleton<IConfigureOptions<JwtBearerOptions>, ConfigureJwtBearer>();
        services.AddVerifiedTokenCache(configSection);
        // Secure by default: an endpoint the API forgot to protect still needs a valid token.
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());

        services.AddRevocationBus(configSection.ToLowerInvariant(), broker, configureBus);
        // Registered after the bus so they start once it is running and the per-instance queue is bound.
        services.AddHostedService<RevocationCatchUp>();
        services.AddHostedService<RevocationPurge>();
        services.AddHostedService<InstanceHeartbeat>();
        services.AddHostedService<ReceiptPublisher>();
        return builder;
    }
}
