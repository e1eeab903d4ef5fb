using BenchmarkDotNet.Attributes;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Platform.Benchmarks;

/// <summary>Issuance as Identity does it against its floor, one RSA-2048 PKCS#1 SHA-256 signature.</summary>
[Config(typeof(ShortRunConfig))]
public class IssuanceBenchmarks
{
    private static readonly JsonWebTokenHandler Handler = new();

    private IdentityShapedTokens _tokens = null!;
    private byte[] _signingInput = null!;
    private Guid _user;
    private Guid _session;

    [GlobalSetup]
    public void Setup()
    {
        _tokens = new IdentityShapedTokens();
        var token = _tokens.Mint();
        _signingInput = Encoding.ASCII.GetBytes(token[..token.LastIndexOf('.')]);
        _user = Guid.NewGuid();
        _session = Guid.NewGuid();
    }

    [Benchmark(Baseline = true, Description = "raw RSA.SignData (floor)")]
    public byte[] RawSign() => _tokens.Rsa.SignData(_signingInput, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    [Benchmark(Description = "issue token as Identity does")]
    public string Issue() => Handler.CreateToken(_tokens.Descriptor(_user, _session));

    [GlobalCleanup]
    public void Cleanup() => _tokens.Dispose();
}
