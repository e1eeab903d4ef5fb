using System.Text.Json;
using static Platform.ResourceServer.Tests.Security.HostileTokens;

namespace Platform.ResourceServer.Tests.Security;

/// <summary>RFC 8725 §2.1/§3.1: only RS256 with a JWKS key; every other algorithm and every key confusion is refused.</summary>
[Collection(ResourceServerCollection.Name)]
public sealed class AlgorithmAttackTests(ResourceServerFixture fixture)
{
    private TestTokenIssuer Issuer => fixture.Issuer;

    [Theory]
    [InlineData("none")]
    [InlineData("None")]
    [InlineData("NONE")]
    [InlineData("nOnE")]
    public Task Alg_none_in_any_spelling_is_rejected(string alg) =>
        AssertRejectedAsync(fixture, Issuer.Mint(alg: alg, sign: _ => []));

    [Fact]
    public Task Alg_none_with_a_signature_attached_is_rejected() =>
        AssertRejectedAsync(fixture, Issuer.Mint(alg: "none"));

    [Theory]
    [InlineData("spki-der")]
    [InlineData("spki-pem")]
    [InlineData("jwk-json")]
    [InlineData("modulus-bytes")]
    [InlineData("empty")]
    public Task Hs256_keyed_with_public_key_material_is_rejected(string keyForm) =>
        AssertRejectedAsync(fixture, Issuer.Mint(alg: "HS256", sign: data => HMACSHA256.HashData(HmacKey(keyForm), data)));

    [Fact]
    public Task Hs384_keyed_with_the_public_key_der_is_rejected() =>
        AssertRejectedAsync(fixture, Issuer.Mint(alg: "HS384",
            sign: data => HMACSHA384.HashData(Issuer.Key.ExportSubjectPublicKeyInfo(), data)));

    [Fact]
    public Task Hs512_keyed_with_the_public_key_der_is_rejected() =>
        AssertRejectedAsync(fixture, Issuer.Mint(alg: "HS512",
            sign: data => HMACSHA512.HashData(Issuer.Key.ExportSubjectPublicKeyInfo(), data)));

    [Fact]
    public Task Rs384_with_the_trusted_key_is_rejected() =>
        AssertRejectedAsync(fixture, Issuer.Mint(alg: "RS384",
            sign: data => Issuer.Key.SignData(data, HashAlgorithmName.SHA384, RSASignaturePadding.Pkcs1)));

    [Fact]
    public Task Rs512_with_the_trusted_key_is_rejected() =>
        AssertRejectedAsync(fixture, Issuer.Mint(alg: "RS512",
            sign: data => Issuer.Key.SignData(data, HashAlgorithmName.SHA512, RSASignaturePadding.Pkcs1)));

    [Fact]
    public Task Ps256_with_the_trusted_key_is_rejected() =>
        AssertRejectedAsync(fixture, Issuer.Mint(alg: "PS256",
            sign: data => Issuer.Key.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pss)));

    [Fact]
    public Task Es256_with_an_attacker_key_is_rejected()
    {
        using var attacker = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return AssertRejectedAsync(fixture, Issuer.Mint(alg: "ES256", sign: data => attacker.SignData(data, HashAlgorithmName.SHA256)));
    }

    [Theory]
    [InlineData("jku")]
    [InlineData("x5u")]
    public async Task Key_url_in_the_header_is_rejected_and_never_fetched(string parameter)
    {
        await using var attacker = await AttackerKeyServer.StartAsync();
        var token = Issuer.Mint(
            change: (header, _) =>
            {
                header["kid"] = attacker.Kid;
                header[parameter] = attacker.Url;
            },
            sign: attacker.SignRs256);

        await AssertRejectedAsync(fixture, token);
        Assert.Equal(0, attacker.Requests);
    }

    [Fact]
    public Task X5c_certificate_chain_of_an_attacker_key_is_rejected()
    {
        using var attacker = RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest(
            "CN=" + Issuer.Issuer, attacker, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return AssertRejectedAsync(fixture, Issuer.Mint(
            change: (header, _) => header["x5c"] = new[] { Convert.ToBase64String(certificate.RawData) },
            sign: data => attacker.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)));
    }

    [Fact]
    public Task Jwk_header_carrying_the_trusted_public_key_is_rejected_even_though_the_signature_is_valid() =>
        AssertRejectedAsync(fixture, Issuer.Mint(change: (header, _) => header["jwk"] = TestTokenIssuer.PublicJwk(Issuer.Key, Issuer.Kid)));

    [Fact]
    public Task Token_without_kid_is_rejected() =>
        AssertRejectedAsync(fixture, Issuer.Mint(change: (header, _) => header["kid"] = null));

    [Fact]
    public Task Token_with_unknown_kid_signed_by_another_key_is_rejected()
    {
        using var attacker = RSA.Create(2048);
        return AssertRejectedAsync(fixture, Issuer.Mint(change: (header, _) => header["kid"] = "attacker", sign: SignedBy(attacker)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public Task Jwk_header_embedding_an_attacker_key_is_rejected(bool reuseTrustedKid)
    {
        using var attacker = RSA.Create(2048);
        var kid = reuseTrustedKid ? Issuer.Kid : "attacker";
        return AssertRejectedAsync(fixture, Issuer.Mint(
            change: (header, _) =>
            {
                header["kid"] = kid;
                header["jwk"] = TestTokenIssuer.PublicJwk(attacker, kid);
            },
            sign: SignedBy(attacker)));
    }

    [Fact]
    public async Task Flood_of_random_kids_does_not_hammer_the_jwks_endpoint()
    {
        using var attacker = RSA.Create(2048);
        var before = Issuer.JwksRequests;
        var discoveryBefore = Issuer.DiscoveryRequests;
        for (var i = 0; i < 40; i++)
        {
            var token = Issuer.Mint(change: (header, _) => header["kid"] = Guid.NewGuid().ToString("N"), sign: SignedBy(attacker));
            using var response = await GetAsync(fixture, token);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        // RefreshInterval (30 s) allows at most one refresh in this burst, whatever the number of kids.
        Assert.InRange(Issuer.JwksRequests - before, 0, 1);
        Assert.InRange(Issuer.DiscoveryRequests - discoveryBefore, 0, 1);
    }

    private static Func<byte[], byte[]> SignedBy(RSA key) =>
        data => key.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    private byte[] HmacKey(string form)
    {
        var parameters = Issuer.Key.ExportParameters(false);
        return form switch
        {
            "jwk-json" => JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>
            {
                ["kty"] = "RSA", ["use"] = "sig", ["alg"] = "RS256", ["kid"] = Issuer.Kid,
                ["n"] = Base64UrlEncoder.Encode(parameters.Modulus), ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
            }),
            "spki-der" => Issuer.Key.ExportSubjectPublicKeyInfo(),
            "spki-pem" => Encoding.ASCII.GetBytes(Issuer.Key.ExportSubjectPublicKeyInfoPem()),
            "modulus-bytes" => parameters.Modulus!,
            "empty" => [],
            _ => Encoding.ASCII.GetBytes(form),
        };
    }
}
