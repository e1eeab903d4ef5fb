using Microsoft.AspNetCore.Authentication.JwtBearer;
using Platform.Identity.Accounts;
using Platform.TokenRules;

namespace Platform.Identity.Authentication;

/// <summary>
/// Identity validates its own tokens under the same rules as every resource server (<see cref="TokenShape"/>,
/// <see cref="AccessTokenRules"/> and <see cref="AccessTokenClaims"/>, with an audience from Identity:Audiences), with
/// keys from its own store instead of HTTP; instead of a deny-list it checks the session row, since it owns the database.
/// </summary>
public static class Authorization
{
    public const string AdminPolicy = "admin";

    public static WebApplicationBuilder AddIdentityAuthentication(this WebApplicationBuilder builder)
    {
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<SigningKeyStore, TimeProvider, IOptions<IdentityServiceOptions>>(Configure);
        builder.Services.AddAuthorizationBuilder().AddPolicy(AdminPolicy, policy => policy.RequireAuthenticatedUser().RequireRole(Roles.Admin));
        return builder;
    }

    private static void Configure(JwtBearerOptions bearer, SigningKeyStore keys, TimeProvider time, IOptions<IdentityServiceOptions> options)
    {
        var settings = options.Value;
        bearer.MapInboundClaims = false;
        // Library messages ("The signature key was not found") would tell an attacker which check failed.
        bearer.IncludeErrorDetails = false;
        bearer.TimeProvider = time;
        // The injected clock, so tests with a fake clock see the same time as the issuer.
        bearer.TokenValidationParameters = AccessTokenRules.Parameters(settings.Issuer, settings.Audiences, AccessTokenRules.MaxClockSkew, time);
        bearer.TokenValidationParameters.IssuerSigningKeyResolver = (_, _, kid, _) => keys.ResolvePublicKeys(kid);
        bearer.Events = new IdentityBearerEvents();
    }
}
