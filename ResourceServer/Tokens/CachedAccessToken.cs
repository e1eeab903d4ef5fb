using System.Security.Claims;
using Microsoft.IdentityModel.Tokens;

namespace Platform.ResourceServer.Tokens;

/// <summary>
/// A verified token as the cache keeps it: its subject, session and times, and a pointer to the shape it shares with
/// other tokens; about a hundred bytes, against the parsed token's few KB. The principal is rebuilt from it per request.
/// The claims a principal carries: sub, sid, client_id, scope, role, aud and iss; the token's bookkeeping (exp, iat,
/// nbf, jti) is judged here and reaches the request as the authentication's issue and expiry times, not as claims.
/// </summary>
public sealed class CachedAccessToken(AccessTokenShape shape, Guid userId, Guid? sessionId, long issuedAt, long expires)
    : SecurityToken
{
    public AccessTokenShape Shape { get; } = shape;

    public Guid UserId { get; } = userId;

    public Guid? SessionId { get; } = sessionId;

    public long IssuedAt { get; } = issuedAt;

    public long Expires { get; } = expires;

    public override string Id => string.Empty;

    public override string Issuer => Shape.Issuer;

    public override SecurityKey? SecurityKey => null;

    public override SecurityKey? SigningKey { get => null; set { } }

    public override DateTime ValidFrom => DateTime.UnixEpoch.AddSeconds(IssuedAt);

    public override DateTime ValidTo => DateTime.UnixEpoch.AddSeconds(Expires);

    public string Kid => Shape.Kid;

    internal ClaimsIdentity Identity(string authenticationType) => Shape.Identity(this, authenticationType);
}
