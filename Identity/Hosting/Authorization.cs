using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Platform.Identity.Accounts;
using Platform.Identity.SigningKeys;
using Platform.ResourceServer.Tokens;

namespace Platform.Identity.Hosting;

/// <summary>
/// Identity validates its own tokens under the same rules as every resource server (the raw-structure checks of
/// <see cref="TokenShape"/>, RS256 only, RFC 9068 typ, issuer, an audience from Identity:Audiences, 30 s skew), with
/// keys from its own store instead of HTTP, and additionally checks the session row, since it owns the database.
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
        bearer.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = settings.Issuer,
            ValidAudiences = settings.Audiences,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            // RFC 9068: at+jwt or application/at+jwt in any case; ValidTypes alone compares exactly.
            TypeValidator = (type, _, _) => TokenShape.IsAccessTokenType(type)
                ? type
                : throw new SecurityTokenInvalidTypeException("The token is not an access token."),
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ClockSkew = IdentityServiceOptions.ClockSkew,
            NameClaimType = "sub",
            RoleClaimType = "role",
            IssuerSigningKeyResolver = (_, _, kid, _) => keys.ResolvePublicKeys(kid),
            // The injected clock, so tests with a fake clock see the same time as the issuer.
            LifetimeValidator = (notBefore, expires, _, _) =>
            {
                var now = time.GetUtcNow().UtcDateTime;
                return expires is { } exp && now <= exp + IdentityServiceOptions.ClockSkew
                    && (notBefore is not { } nbf || nbf - IdentityServiceOptions.ClockSkew <= now);
            },
        };
        bearer.Events = new IdentityBearerEvents();
    }
}
