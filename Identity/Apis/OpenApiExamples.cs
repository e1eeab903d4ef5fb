using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;

namespace Platform.Identity.Apis;

/// <summary>
/// Request examples in the OpenAPI document, so a client tried from Scalar starts from a valid body. Passwords here
/// are placeholders of the accepted shape, never real credentials.
/// </summary>
internal static class OpenApiExamples
{
    private static readonly Dictionary<Type, Func<JsonNode>> Examples = new()
    {
        [typeof(SignUpRequest)] = () => new JsonObject { ["email"] = "ada@example.com", ["password"] = "<at least 12 characters>", ["displayName"] = "Ada" },
        [typeof(LoginRequest)] = () => new JsonObject { ["email"] = "ada@example.com", ["password"] = "<password>" },
        [typeof(RefreshRequest)] = () => new JsonObject { ["refreshToken"] = "<refresh token from /auth/login>" },
        [typeof(ForgotPasswordRequest)] = () => new JsonObject { ["email"] = "ada@example.com" },
        [typeof(DeactivateRequest)] = () => new JsonObject { ["reason"] = "left the company" },
        [typeof(SetRolesRequest)] = () => new JsonObject { ["roles"] = new JsonArray("admin") },
    };

    public static WebApplicationBuilder AddIdentityOpenApiExamples(this WebApplicationBuilder builder)
    {
        builder.Services.ConfigureAll<OpenApiOptions>(options => options.AddSchemaTransformer((schema, context, _) =>
        {
            if (Examples.TryGetValue(context.JsonTypeInfo.Type, out var example))
                schema.Examples = [example()];
            return Task.CompletedTask;
        }));
        return builder;
    }
}
