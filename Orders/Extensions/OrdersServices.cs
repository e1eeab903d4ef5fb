using Microsoft.EntityFrameworkCore;
using Platform.Orders.Apis;
using Platform.Orders.Data;
using Platform.ResourceServer;
using Platform.ResourceServer.Tokens;
using Platform.ServiceDefaults;
using Platform.ServiceDefaults.Configuration;
using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Http;
using Platform.TokenRules;

namespace Platform.Orders.Extensions;

public static class OrdersServices
{
    public static WebApplicationBuilder AddOrdersServices(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddRequestBodyLimit();

        var services = builder.Services;
        services.AddPlatformProblemDetails();
        // Bad input then takes the same path in every environment: an exception the handler turns into a problem.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);

        // Migrations first, so the revocation catch-up and requests meet the current schema.
        services.AddMigration<OrdersDbContext>();
        var connectionString = builder.Configuration.GetRequiredConnectionString("Orders");
        // Pooled: a request resets a used context instead of building one with its services and state. Safe because
        // the context holds no per-request state of its own; the caller's id is a query parameter, never a field.
        services.AddDbContextPool<OrdersDbContext>(options => options.UseNpgsql(connectionString));
        services.AddHealthChecks().AddNpgSql(connectionString, name: "orders-db", tags: [ServiceDefaultsExtensions.ReadyTag]);

        builder.AddPlatformResourceServer(configSection: "Orders", connectionStringName: "Orders");
        builder.Services.PostConfigure<ResourceServerOptions>(options =>
        {
            if (string.IsNullOrEmpty(options.Audience))
                options.Audience = "orders";
        });
        services.AddAuthorizationBuilder()
            .AddPolicy(OrdersApi.ReadPolicy, policy => policy.RequireScope(PlatformScopes.OrdersRead))
            .AddPolicy(OrdersApi.WritePolicy, policy => policy.RequireScope(PlatformScopes.OrdersWrite));
        return builder;
    }

    public static WebApplication UseOrdersPipeline(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRequestBodyLimit();
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }
}
