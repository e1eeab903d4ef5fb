namespace Platform.Orders;

public static class OrdersServices
{
    public static WebApplicationBuilder AddOrdersServices(this WebApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString("Orders")
            ?? throw new InvalidOperationException("ConnectionStrings__Orders is not set.");
        builder.Services.AddHealthChecks().AddNpgSql(connectionString, tags: ["ready"]);
        return builder;
    }

    public static WebApplication MapOrdersEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new() { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new() { Predicate = check => check.Tags.Contains("ready") });
        return app;
    }
}
