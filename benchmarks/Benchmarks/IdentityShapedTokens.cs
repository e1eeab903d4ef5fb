using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Platform.Benchmarks;

/// <summary>
/// Mints tokens with the same public handler and descriptor as Identity's TokenIssuer (RS256, at+jwt, the same claims),
/// without its database-backed key store, so issuance and validation are measured on exactly Identity's shape.
/// </summary>
public sealed class IdentityShapedTokens : IDisposable
{
    public const string Issuer = "http://localhost:5100";
    public const string Audience = "orders";

    private static readonly JsonWebTokenHandler Handler = new();

    public IdentityShapedTokens()
    {
        Rsa = RSA.Create(2048);
        SigningKey = new RsaSecurityKey(Rsa) { KeyId = "bench-" + Guid.NewGuid().ToString("N")[..8] };
        VerificationKey = new RsaSecurityKey(Rsa.ExportParameters(false)) { KeyId = SigningKey.KeyId };
    }

    public RSA Rsa { get; }

    public RsaSecurityKey SigningKey { get; }

    /// <summary>Public parameters only, as a resource server gets them from the JWKS.</summary>
    public RsaSecurityKey VerificationKey { get; }

    public SecurityTokenDescriptor Descriptor(Guid userId, Guid sessionId)
    {
        var now = DateTimeOffset.UtcNow;
        return new SecurityTokenDescriptor
        {
            TokenType = "at+jwt",
            Issuer = Issuer,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = now.AddMinutes(10).UtcDateTime,
            SigningCredentials = new SigningCredentials(SigningKey, SecurityAlgorithms.RsaSha256),
            Claims = new Dictionary<string, object>
            {
                [JwtRegisteredClaimNames.Sub] = userId.ToString(),
                [JwtRegisteredClaimNames.Aud] = new[] { Audience },
                [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString(),
                [JwtRegisteredClaimNames.Sid] = sessionId.ToString(),
                ["scope"] = "orders:read orders:write",
                ["role"] = Array.Empty<string>(),
            },
        };
    }

    public string Mint() => Handler.CreateToken(Descriptor(Guid.NewGuid(), Guid.NewGuid()));

    public string[] MintMany(int count) => [.. Enumerable.Range(0, count).Select(_ => Mint())];

    public void Dispose() => Rsa.Dispose();
}
