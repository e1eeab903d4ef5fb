using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Platform.TokenRules;

namespace Platform.Identity.Tokens;

/// <summary>Mints RFC 9068 access tokens (typ at+jwt, RS256) with the current signing key.</summary>
public sealed class TokenIssuer(SigningKeyStore keys, IOptions<IdentityServiceOptions> options)
{
    public const string UserScopes = PlatformScopes.User;

    private static readonly JsonWebTokenHandler Handler = new();

    /// <summary>
    /// Whether a token can be minted for this RFC 8707 resource indicator: none (the platform's APIs), Identity's own
    /// audience, or one of the configured audiences.
    /// </summary>
    public bool IsKnownResource(string? resource) => AudiencesFor(resource) is not null;

    /// <param name="resource">Asked for per login or refresh; null gives the default audiences, never Identity's own.</param>
    /// <param name="issuedAt">The time the session was opened or refreshed, in the transaction that did it.</param>
    public AccessToken Issue(Guid userId, Guid sessionId, IEnumerable<string> roles, string? resource, DateTimeOffset issuedAt)
    {
        var settings = options.Value;
        var audiences = AudiencesFor(resource) ?? throw new ArgumentException("The resource is not one tokens are issued for.", nameof(resource));
        var key = keys.SigningKey ?? throw new InvalidOperationException("No signing key is loaded.");
        var now = issuedAt;
        var expires = now + settings.AccessTokenLifetime;
        var descriptor = new SecurityTokenDescriptor
        {
            TokenType = AccessTokenRules.Type,
            Issuer = settings.Issuer,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = new SigningCredentials(key.PrivateKey, AccessTokenRules.Algorithm),
            Claims = new Dictionary<string, object>
            {
                [JwtRegisteredClaimNames.Sub] = userId.ToString(),
                [JwtRegisteredClaimNames.Aud] = audiences,
                [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString(),
                [JwtRegisteredClaimNames.Sid] = sessionId.ToString(),
                ["scope"] = UserScopes,
                ["role"] = roles.ToArray(),
            },
        };
        return new AccessToken(Handler.CreateToken(descriptor), (int)settings.AccessTokenLifetime.TotalSeconds);
    }

    // One audience per asked-for resource, so a token meant for one API is refused by every other (RFC 8707 §2).
    private string[]? AudiencesFor(string? resource)
    {
        var settings = options.Value;
        if (resource is null)
            return settings.Audiences;
        if (string.Equals(resource, settings.OwnAudience, StringComparison.Ordinal) || settings.Audiences.Contains(resource, StringComparer.Ordinal))
            return [resource];
        return null;
    }
}

public sealed record AccessToken(string Token, int ExpiresIn);
