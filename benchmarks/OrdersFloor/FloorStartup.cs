using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Platform.Benchmarks.OrdersFloor;

[assembly: HostingStartup(typeof(FloorStartup))]

namespace Platform.Benchmarks.OrdersFloor;

/// <summary>
/// Adds the floor route to Orders' own endpoints, after Orders has mapped its routes, so the floor runs through exactly
/// the same middleware, authentication and authorization policy as GET /orders/{id}: only the data access differs.
/// </summary>
internal sealed class FloorStartup : IHostingStartup
{
    // Where UseRouting leaves the route builder it matches against; for a WebApplication that is the application itself.
    // An ASP.NET Core internal name, hence the loud failure below should it ever change.
    private const string EndpointRouteBuilderKey = "__EndpointRouteBuilder";

    public void Configure(IWebHostBuilder builder) => builder.ConfigureServices((context, services) =>
    {
        var connectionString = context.Configuration.GetConnectionString("Orders")
            ?? throw new InvalidOperationException("ConnectionStrings:Orders is not set.");
        services.AddSingleton(new FloorDataSource(NpgsqlDataSource.Create(connectionString)));
        services.AddSingleton<IStartupFilter, FloorRouteFilter>();
    });

    private sealed class FloorRouteFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            // Endpoints are read when the first request is matched, so one added now is matched like Orders' own.
            if (!app.Properties.TryGetValue(EndpointRouteBuilderKey, out var routes) || routes is not IEndpointRouteBuilder endpoints)
                throw new InvalidOperationException("Orders' route builder was not found; the floor route cannot share its pipeline.");
            endpoints.MapGet("/floor/orders/{id:guid}", FloorRead.GetOrder).RequireAuthorization(Platform.Orders.Apis.OrdersApi.ReadPolicy);
            // The process's allocations so far: read around each load run, it gives the bytes each request allocates.
            endpoints.MapGet("/floor/allocated", () => GC.GetTotalAllocatedBytes().ToString(CultureInfo.InvariantCulture))
                .RequireAuthorization(Platform.Orders.Apis.OrdersApi.ReadPolicy);
        };
    }
}
