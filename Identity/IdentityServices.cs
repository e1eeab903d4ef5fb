namespace Platform.Identity;

public static class IdentityServices
{
    public static WebApplicationBuilder AddIdentityServices(this WebApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString("Identity")
            ?? throw new InvalidOperationException("ConnectionStrings__Identity is not set.");
        builder.Services.AddHealthChecks().AddNpgSql(connectionString, tags: ["ready"]);
        return builder;
    }

    public static WebApplication MapIdentityEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new() { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new() { Predicate = check => check.Tags.Contains("ready") });
        return app;
    }
}
