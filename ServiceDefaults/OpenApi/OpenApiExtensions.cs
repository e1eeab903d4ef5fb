using Microsoft.AspNetCore.Routing;
using Scalar.AspNetCore;

namespace Platform.ServiceDefaults.OpenApi;

public static class OpenApiExtensions
{
    public const string DocumentName = "v1";

    public static IServiceCollection AddPlatformOpenApi(this IServiceCollection services, string title)
    {
        services.AddOpenApi(DocumentName, options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = title;
                document.Info.Version = DocumentName;
                return Task.CompletedTask;
            });
            options.AddDocumentTransformer<BearerSecurityScheme>();
            options.AddOperationTransformer<BearerSecurityScheme>();
        });
        return services;
    }

    /// <summary>The document in every environment (clients generate from it); the Scalar UI only in Development.</summary>
    public static WebApplication MapPlatformOpenApi(this WebApplication app)
    {
        app.MapOpenApi().AllowAnonymous().DisableRateLimiting();
        if (app.Environment.IsDevelopment())
            app.MapScalarApiReference().AllowAnonymous();
        return app;
    }
}
