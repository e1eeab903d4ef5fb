using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Platform.ResourceServer;
using Platform.ServiceDefaults.Health;

namespace Platform.Benchmarks.Peer;

/// <summary>
/// The three small apps the peer comparison runs, each a process of its own in Production with the same
/// <c>GET /ping</c> that answers the caller's <c>sub</c>: stock JwtBearer (Authority and Audience only), the
/// platform's library, and no authentication at all (the floor).
/// </summary>
public static class PeerApp
{
    public const string Section = "Peer";

    public static async Task<int> RunAsync(string kind)
    {
        var builder = WebApplication.CreateSlimBuilder();
        var authority = builder.Configuration[$"{Section}:Authority"];
        var audience = builder.Configuration[$"{Section}:Audience"];
        switch (kind)
        {
            case "stock":
                builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(options =>
                {
                    options.Authority = authority;
                    options.Audience = audience;
                    // Identity runs on loopback HTTP; this changes where metadata may come from, not the work per request.
                    options.RequireHttpsMetadata = false;
                });
                builder.Services.AddAuthorization();
                builder.Services.AddHealthChecks();
                break;
            case "library":
                builder.AddPlatformResourceServer(configSection: Section, connectionStringName: Section);
                break;
            case "none":
                builder.Services.AddHealthChecks();
                break;
            default:
                throw new ArgumentException($"Unknown peer app '{kind}'.", nameof(kind));
        }

        var app = builder.Build();
        if (kind != "none")
        {
            app.UseAuthentication();
            app.UseAuthorization();
        }

        app.MapPlatformHealthEndpoints();
        var ping = app.MapGet("/ping", (ClaimsPrincipal user) =>
            // Stock JwtBearer maps sub to the name identifier claim type; the library keeps claim names as issued.
            user.FindFirstValue("sub") ?? user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "anonymous");
        if (kind == "stock")
            ping.RequireAuthorization();
        // Read by the run before and after each load, so bytes and CPU per request include everything the process does.
        app.MapGet("/usage", () => string.Create(CultureInfo.InvariantCulture,
            $"{GC.GetTotalAllocatedBytes(precise: true)} {Environment.CpuUsage.TotalTime.Ticks}")).AllowAnonymous();
        await app.RunAsync();
        return 0;
    }
}
