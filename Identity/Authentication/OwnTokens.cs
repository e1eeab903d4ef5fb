using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Platform.TokenRules;

namespace Platform.Identity.Authentication;

/// <summary>An access token Identity signed, with the platform's claims read from it.</summary>
public sealed record VerifiedAccessToken(JsonWebToken Token, AccessTokenClaims Claims);

/// <summary>
/// Identity's judgement of its own access tokens outside JwtBearer (introspection, revocation), under the same rules
/// as every validator (<see cref="TokenShape"/>, <see cref="AccessTokenRules"/>, <see cref="AccessTokenClaims"/>) with
/// keys from its own store; and the one answer to whether what a token names is still live, which JwtBearer's
/// <see cref="IdentityBearerEvents"/> asks too.
/// </summary>
public sealed class OwnTokens(SigningKeyStore keys, TimeProvider time, IOptions<IdentityServiceOptions> options, IdentityDb db)
{
    private static readonly JsonWebTokenHandler Handler = new();

    /// <summary>Null unless the token is well-formed, signed by a published key of Identity and meets the claim rules.</summary>
    /// <param name="allowExpired">For revocation: an expired token still proves which session it belonged to.</param>
    public async Task<VerifiedAccessToken?> VerifyAsync(string token, bool allowExpired)
    {
        if (TokenShape.Check(token) is not null)
            return null;
        var settings = options.Value;
        var parameters = AccessTokenRules.Parameters(
            settings.Issuer, [.. settings.Audiences, settings.OwnAudience], AccessTokenRules.MaxClockSkew, time);
        parameters.IssuerSigningKeyResolver = (_, _, kid, _) => keys.ResolvePublicKeys(kid);
        if (allowExpired)
        {
            parameters.ValidateLifetime = false;
            parameters.LifetimeValidator = null;
        }

        var result = await Handler.ValidateTokenAsync(token, parameters);
        if (!result.IsValid || result.SecurityToken is not JsonWebToken verified)
            return null;
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        if ((AccessTokenClaims.Read(verified, out var claims) ?? claims.Refusal(now, AccessTokenRules.MaxClockSkew, settings.AccessTokenLifetime)) is not null)
            return null;
        return new VerifiedAccessToken(verified, claims);
    }

    /// <summary>
    /// Whether what the token names is still live: a user's session, not revoked, of an active user whose security
    /// stamp has not changed since; or an enabled service client.
    /// </summary>
    public Task<bool> IsLiveAsync(AccessTokenClaims claims, CancellationToken cancellationToken)
    {
        if (claims.SessionId is not { } sessionId)
            return db.ServiceClients.AsNoTracking().AnyAsync(c => c.Id == claims.UserId && c.DisabledAt == null, cancellationToken);
        return db.Sessions.AsNoTracking()
            .AnyAsync(s => s.Id == sessionId && s.UserId == claims.UserId && s.RevokedAt == null
                && db.Users.Any(u => u.Id == claims.UserId && u.IsActive && u.SecurityStamp == s.SecurityStamp), cancellationToken);
    }
}
