using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.IdentityModel.JsonWebTokens;
using Platform.Identity.Accounts;
using Platform.Identity.SharedSignals;
using Platform.TokenRules;

namespace Platform.Identity.Authentication;

/// <summary>
/// Identity validates its own tokens under the same rules as every resource server (<see cref="TokenShape"/>,
/// <see cref="AccessTokenRules"/> and <see cref="AccessTokenClaims"/>), with keys from its own store instead of HTTP;
/// instead of a deny-list it checks the session row, since it owns the database. Self-service routes take a token of
/// any platform audience, so a user's ordinary token works; the operator API takes only Identity's own audience.
/// </summary>
public static class Authorization
{
    public const string AdminPolicy = "admin";

    public static WebApplicationBuilder AddIdentityAuthentication(this WebApplicationBuilder builder)
    {
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<SigningKeyStore, TimeProvider, IOptions<IdentityServiceOptions>>(Configure);
        // Routes that act on the caller's own account or session are for users: a service client's token (no sid)
        // is authenticated there but not allowed, 403 rather than a session that does not exist.
        builder.Services.AddAuthorization(authorization => authorization.DefaultPolicy = new AuthorizationPolicyBuilder()
            .RequireAuthenticatedUser().RequireClaim(PlatformClaims.SessionId).Build());
        builder.Services.AddScoped<OwnTokens>();
        // A valid token for another API is authenticated but not meant for this one: 403, as for a missing role.
        builder.Services.AddOptions<AuthorizationOptions>().Configure<IOptions<IdentityServiceOptions>>((authorization, options) =>
            authorization.AddPolicy(AdminPolicy, policy => policy.RequireAuthenticatedUser()
                .RequireClaim(JwtRegisteredClaimNames.Aud, options.Value.OwnAudience).RequireClaim(PlatformClaims.SessionId).RequireRole(Roles.Admin)));
        builder.Services.AddOptions<AuthorizationOptions>().Configure<IOptions<IdentityServiceOptions>>((authorization, options) =>
            SharedSignalsPolicy.Add(authorization, options.Value.OwnAudience));
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
        bearer.TokenValidationParameters = AccessTokenRules.Parameters(
            settings.Issuer, [.. settings.Audiences, settings.OwnAudience], AccessTokenRules.MaxClockSkew, time);
        bearer.TokenValidationParameters.IssuerSigningKeyResolver = (_, _, kid, _) => keys.ResolvePublicKeys(kid);
        bearer.Events = new IdentityBearerEvents();
    }
}
