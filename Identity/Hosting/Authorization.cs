using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Platform.Identity.Accounts;
using Platform.Identity.Data;
using Platform.Identity.SigningKeys;

namespace Platform.Identity.Hosting;

/// <summary>
/// Identity validates its own tokens under the same rules as every resource server (RS256 only, typ at+jwt,
/// issuer, an audience from Identity:Audiences, 30 s skew), with keys from its own store instead of HTTP,
/// and additionally checks the session row, since it owns the database.
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
        bearer.TimeProvider = time;
        bearer.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = settings.Issuer,
            ValidAudiences = settings.Audiences,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            ValidTypes = ["at+jwt"],
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
        bearer.Events = new JwtBearerEvents { OnTokenValidated = RejectEndedSessionsAsync };
    }

    /// <summary>A token of a revoked session or a deactivated user is refused here at once, not at its expiry.</summary>
    private static async Task RejectEndedSessionsAsync(TokenValidatedContext context)
    {
        var principal = context.Principal!;
        if (!Guid.TryParse(principal.FindFirst("sub")?.Value, out var userId) || !Guid.TryParse(principal.FindFirst("sid")?.Value, out var sessionId))
        {
            context.Fail("The token lacks sub or sid.");
            return;
        }

        var db = context.HttpContext.RequestServices.GetRequiredService<IdentityDb>();
        var live = await db.Sessions.AsNoTracking()
            .AnyAsync(s => s.Id == sessionId && s.UserId == userId && s.RevokedAt == null
                && db.Users.Any(u => u.Id == userId && u.IsActive), context.HttpContext.RequestAborted);
        if (!live)
            context.Fail("The session has ended.");
    }
}
