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
        var audiences = AudiencesFor(resource) ?? throw new ArgumentException("The resource is not one tokens are issued for.", nameof(resource));
        return Sign(userId.ToString(), audiences, UserScopes, issuedAt, new Dictionary<string, object>
        {
            [JwtRegisteredClaimNames.Sid] = sessionId.ToString(),
            [PlatformClaims.Role] = roles.ToArray(),
        });
    }

    /// <summary>
    /// A service client's own token (client credentials): <c>sub</c> and <c>client_id</c> are the client id, and it has
    /// no session and no role, so it is revoked by disabling the client.
    /// </summary>
    /// <param name="audiences">Already checked against the client's and <see cref="IsKnownResource"/>.</param>
    public AccessToken IssueForClient(ServiceClient client, IReadOnlyCollection<string> scopes, string[] audiences, DateTimeOffset issuedAt)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (audiences.Length == 0 || !audiences.All(a => IsKnownResource(a)))
            throw new ArgumentException("Every audience must be one tokens are issued for.", nameof(audiences));
        return Sign(client.ClientId, audiences, string.Join(' ', scopes), issuedAt, new Dictionary<string, object>
        {
            [PlatformClaims.ClientId] = client.ClientId,
        });
    }

    /// <summary>The one shape of an access token; <paramref name="claims"/> adds what tells a user's from a client's.</summary>
    private AccessToken Sign(string subject, string[] audiences, string scope, DateTimeOffset issuedAt, Dictionary<string, object> claims)
    {
        var settings = options.Value;
        var key = keys.SigningKey ?? throw new InvalidOperationException("No signing key is loaded.");
        var expires = issuedAt + settings.AccessTokenLifetime;
        claims[JwtRegisteredClaimNames.Sub] = subject;
        claims[JwtRegisteredClaimNames.Aud] = audiences;
        claims[JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString();
        claims[PlatformClaims.Scope] = scope;
        var descriptor = new SecurityTokenDescriptor
        {
            TokenType = AccessTokenRules.Type,
            Issuer = settings.Issuer,
            IssuedAt = issuedAt.UtcDateTime,
            NotBefore = issuedAt.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = new SigningCredentials(key.PrivateKey, AccessTokenRules.Algorithm),
            Claims = claims,
        };
        return new AccessToken(Handler.CreateToken(descriptor), (int)settings.AccessTokenLifetime.TotalSeconds);
    }

    // One audience per asked-for resource, so a token meant for one API is refused by every other (RFC 8707 §2).
    /// <summary>Null for a resource no token is issued for.</summary>
    public string[]? AudiencesFor(string? resource)
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
