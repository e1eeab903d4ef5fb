using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Platform.ResourceServer.Tokens;

/// <summary>
/// What many tokens share: issuer, audiences, signing key, client, scope and roles. A cached token points at one
/// shared shape and keeps only its own subject, session and times, which is what makes an entry small; the shape also
/// holds the claims every principal of that shape carries, so a request builds only its subject's and session's.
/// </summary>
public sealed class AccessTokenShape
{
    // The only payload members a principal is built from or the rules read; a token with any other member keeps the
    // full validation's principal, so a cached token never loses a claim an API might read.
    private static readonly HashSet<string> KnownMembers = new(StringComparer.Ordinal)
    {
        "iss", "sub", "aud", "exp", "iat", "nbf", "jti", PlatformClaims.SessionId, PlatformClaims.Scope,
        PlatformClaims.Role, PlatformClaims.ClientId,
    };

    // Shapes are few (one per client, scope and role set); the bound keeps odd tokens from growing the table forever.
    private const int MaxShapes = 4096;
    private static readonly ConcurrentDictionary<string, AccessTokenShape> Shapes = new(StringComparer.Ordinal);

    private readonly Claim[] _sharedClaims;

    private AccessTokenShape(string issuer, string kid, string[] audiences, string? clientId, string? scope, string[] roles)
    {
        Issuer = issuer;
        Kid = kid;
        Audiences = audiences;
        var shared = new List<Claim>();
        if (clientId is not null)
            shared.Add(new Claim(PlatformClaims.ClientId, clientId, ClaimValueTypes.String, issuer));
        if (scope is not null)
            shared.Add(new Claim(PlatformClaims.Scope, scope, ClaimValueTypes.String, issuer));
        shared.AddRange(roles.Select(role => new Claim(PlatformClaims.Role, role, ClaimValueTypes.String, issuer)));
        shared.AddRange(audiences.Select(audience => new Claim(JwtRegisteredClaimNames.Aud, audience, ClaimValueTypes.String, issuer)));
        shared.Add(new Claim(JwtRegisteredClaimNames.Iss, issuer, ClaimValueTypes.String, issuer));
        _sharedClaims = [.. shared];
    }

    public string Issuer { get; }

    public string Kid { get; }

    public IReadOnlyList<string> Audiences { get; }

    /// <summary>The shared shape of a verified token, or null when the token carries members a shape does not keep.</summary>
    internal static AccessTokenShape? Of(JsonWebToken token)
    {
        foreach (var claim in token.Claims)
        {
            if (!KnownMembers.Contains(claim.Type))
                return null;
        }

        token.TryGetPayloadValue<string>(PlatformClaims.ClientId, out var clientId);
        token.TryGetPayloadValue<string>(PlatformClaims.Scope, out var scope);
        var roles = token.Claims.Where(c => c.Type == PlatformClaims.Role).Select(c => c.Value).ToArray();
        var audiences = token.Audiences.ToArray();
        var key = string.Join('\n', [token.Issuer, token.Kid, clientId ?? "\0", scope ?? "\0", .. audiences, "\0", .. roles]);
        if (Shapes.TryGetValue(key, out var shape))
            return shape;
        shape = new AccessTokenShape(token.Issuer, token.Kid, audiences, clientId, scope, roles);
        return Shapes.Count < MaxShapes ? Shapes.GetOrAdd(key, shape) : shape;
    }

    /// <summary>A fresh identity per request: an API may add claims to it, and a shared one would leak them.</summary>
    internal ClaimsIdentity Identity(CachedAccessToken token, string authenticationType)
    {
        var claims = new List<Claim>(_sharedClaims.Length + 2)
        {
            new(PlatformClaims.Subject, token.UserId.ToString(), ClaimValueTypes.String, Issuer),
        };
        if (token.SessionId is { } session)
            claims.Add(new Claim(PlatformClaims.SessionId, session.ToString(), ClaimValueTypes.String, Issuer));
        claims.AddRange(_sharedClaims);
        return new ClaimsIdentity(claims, authenticationType, PlatformClaims.Subject, PlatformClaims.Role);
    }
}
