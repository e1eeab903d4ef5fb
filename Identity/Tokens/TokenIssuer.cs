using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Platform.TokenRules;

namespace Platform.Identity.Tokens;

/// <summary>Mints RFC 9068 access tokens (typ at+jwt, RS256) with the current signing key.</summary>
public sealed class TokenIssuer(SigningKeyStore keys, IOptions<IdentityServiceOptions> options)
{
    public const string UserScopes = PlatformScopes.User;

    private static readonly JsonWebTokenHandler Handler = new();

    /// <param name="issuedAt">The time the session was opened or refreshed, in the transaction that did it.</param>
    public AccessToken Issue(Guid userId, Guid sessionId, IEnumerable<string> roles, DateTimeOffset issuedAt)
    {
        var settings = options.Value;
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
                [JwtRegisteredClaimNames.Aud] = settings.Audiences,
                [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString(),
                [JwtRegisteredClaimNames.Sid] = sessionId.ToString(),
                ["scope"] = UserScopes,
                ["role"] = roles.ToArray(),
            },
        };
        return new AccessToken(Handler.CreateToken(descriptor), (int)settings.AccessTokenLifetime.TotalSeconds);
    }
}

public sealed record AccessToken(string Token, int ExpiresIn);
