using Microsoft.EntityFrameworkCore;
using Platform.Orders.Apis;
using Platform.Orders.Data;
using Platform.Orders.Infrastructure;
using Platform.ResourceServer;
using Platform.ResourceServer.Tokens;
using Platform.TokenRules;

namespace Platform.Orders.Extensions;

public static class OrdersServices
{
    public static WebApplicationBuilder AddOrdersServices(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = RequestBodyLimit.MaxBytes);

        var services = builder.Services;
        services.AddProblemDetails();
        services.AddExceptionHandler<ApiExceptionHandler>();
        // Bad input then takes the same path in every environment: an exception the handler turns into a problem.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);

        // Migrations first, so the revocation catch-up and requests meet the current schema.
        services.AddHostedService<OrdersMigrator>();
        services.AddDbContext<OrdersDbContext>((sp, options) =>
            options.UseNpgsql(sp.GetRequiredService<IConfiguration>().GetConnectionString("Orders")));
        services.AddHealthChecks().AddNpgSql(
            sp => sp.GetRequiredService<IConfiguration>().GetConnectionString("Orders")!, name: "orders-db", tags: ["ready"]);

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
