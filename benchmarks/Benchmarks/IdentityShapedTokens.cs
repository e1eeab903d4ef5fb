namespace Platform.Benchmarks;

/// <summary>
/// Tokens of exactly Identity's shape (the shared test <see cref="AccessTokenBuilder"/>), and the same claims as a
/// descriptor for Identity's public handler, without its database-backed key store, so issuance and validation are
/// measured on exactly Identity's shape.
/// </summary>
public sealed class IdentityShapedTokens : IDisposable
{
    public const string Issuer = "http://localhost:5100";
    public const string Audience = "orders";

    private readonly AccessTokenBuilder _builder;

    public IdentityShapedTokens()
    {
        Rsa = RSA.Create(2048);
        SigningKey = new RsaSecurityKey(Rsa) { KeyId = "bench-" + Guid.NewGuid().ToString("N")[..8] };
        VerificationKey = new RsaSecurityKey(Rsa.ExportParameters(false)) { KeyId = SigningKey.KeyId };
        _builder = new AccessTokenBuilder(Rsa, SigningKey.KeyId, Issuer);
    }

    public RSA Rsa { get; }

    public RsaSecurityKey SigningKey { get; }

    /// <summary>Public parameters only, as a resource server gets them from the JWKS.</summary>
    public RsaSecurityKey VerificationKey { get; }

    /// <summary>The builder's claims (the token contract) for Identity's own handler to sign, as Identity's issuance does.</summary>
    public SecurityTokenDescriptor Descriptor(Guid userId, Guid sessionId) => new()
    {
        TokenType = "at+jwt",
        SigningCredentials = new SigningCredentials(SigningKey, SecurityAlgorithms.RsaSha256),
        Claims = _builder.Claims(userId, sessionId).ToDictionary(c => c.Key, c => c.Value!),
    };

    public string Mint() => _builder.Mint();

    public string[] MintMany(int count) => [.. Enumerable.Range(0, count).Select(_ => Mint())];

    public void Dispose() => Rsa.Dispose();
}
