using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;
using Platform.Orders.Tests.Support;

namespace Platform.Orders.Tests;

/// <summary>Each hardening rule, exercised over HTTP with the token an attacker would send.</summary>
[Collection(OrdersCollection.Name)]
public sealed class TokenValidationTests(OrdersFixture fixture)
{
    private TestTokenIssuer Issuer => fixture.Issuer;

    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    [Fact]
    public async Task Token_as_Identity_issues_it_is_accepted()
    {
        using var response = await GetOrders(Issuer.Mint());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Request_without_token_is_401_with_bare_bearer_challenge()
    {
        using var client = fixture.App.CreateClient();
        using var response = await client.GetAsync("/orders");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public Task Alg_none_is_rejected() =>
        AssertRejected(Issuer.Mint(alg: "none", sign: _ => []));

    [Fact]
    public Task Hs256_signed_with_the_public_key_bytes_is_rejected()
    {
        var publicKeyBytes = Issuer.Key.ExportSubjectPublicKeyInfo();
        return AssertRejected(Issuer.Mint(alg: "HS256", sign: data => HMACSHA256.HashData(publicKeyBytes, data)));
    }

    [Fact]
    public Task Hs256_signed_with_the_public_key_pem_is_rejected()
    {
        var pem = Encoding.ASCII.GetBytes(Issuer.Key.ExportSubjectPublicKeyInfoPem());
        return AssertRejected(Issuer.Mint(alg: "HS256", sign: data => HMACSHA256.HashData(pem, data)));
    }

    [Fact]
    public Task Rs512_with_the_trusted_key_is_rejected() =>
        AssertRejected(Issuer.Mint(alg: "RS512",
            sign: data => Issuer.Key.SignData(data, HashAlgorithmName.SHA512, RSASignaturePadding.Pkcs1)));

    [Theory]
    [InlineData("JWT")]
    [InlineData("jwt")]
    [InlineData(null)]
    public Task Typ_other_than_at_jwt_is_rejected(string? typ) =>
        AssertRejected(Issuer.Mint(change: (header, _) => header["typ"] = typ));

    [Fact]
    public Task Wrong_issuer_is_rejected() =>
        AssertRejected(Issuer.Mint(change: (_, claims) => claims["iss"] = "http://evil.example"));

    [Fact]
    public Task Wrong_audience_is_rejected() =>
        AssertRejected(Issuer.Mint(change: (_, claims) => claims["aud"] = new[] { "billing" }));

    [Fact]
    public Task Expired_token_is_rejected() =>
        AssertRejected(Issuer.Mint(change: (_, claims) =>
        {
            claims["iat"] = Now - 400;
            claims["nbf"] = Now - 400;
            claims["exp"] = Now - 100;
        }));

    [Fact]
    public Task Token_without_exp_is_rejected() =>
        AssertRejected(Issuer.Mint(change: (_, claims) => claims["exp"] = null));

    [Fact]
    public Task Not_yet_valid_token_is_rejected() =>
        AssertRejected(Issuer.Mint(change: (_, claims) =>
        {
            claims["nbf"] = Now + 120;
            claims["exp"] = Now + 600;
        }));

    [Fact]
    public Task Token_issued_in_the_future_is_rejected() =>
        AssertRejected(Issuer.Mint(change: (_, claims) =>
        {
            claims["iat"] = Now + 120;
            claims["exp"] = Now + 600;
        }));

    [Fact]
    public Task Token_without_kid_is_rejected() =>
        AssertRejected(Issuer.Mint(change: (header, _) => header["kid"] = null));

    [Fact]
    public Task Token_with_unknown_kid_is_rejected()
    {
        using var attacker = RSA.Create(2048);
        return AssertRejected(Issuer.Mint(change: (header, _) => header["kid"] = "attacker",
            sign: data => attacker.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)));
    }

    [Fact]
    public Task Jku_header_pointing_at_an_attacker_key_is_ignored()
    {
        using var attacker = RSA.Create(2048);
        return AssertRejected(Issuer.Mint(
            change: (header, _) =>
            {
                header["kid"] = "attacker";
                header["jku"] = "http://127.0.0.1:1/jwks.json";
            },
            sign: data => attacker.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public Task Jwk_header_embedding_an_attacker_key_is_ignored(bool reuseTrustedKid)
    {
        using var attacker = RSA.Create(2048);
        var kid = reuseTrustedKid ? Issuer.Kid : "attacker";
        return AssertRejected(Issuer.Mint(
            change: (header, _) =>
            {
                header["kid"] = kid;
                header["jwk"] = TestTokenIssuer.PublicJwk(attacker, kid);
            },
            sign: data => attacker.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)));
    }

    [Fact]
    public Task Tampered_payload_is_rejected()
    {
        var token = Issuer.Mint(scope: "orders:read");
        var parts = token.Split('.');
        var forged = Issuer.Mint(scope: "orders:read orders:write admin").Split('.')[1];
        return AssertRejected($"{parts[0]}.{forged}.{parts[2]}");
    }

    [Theory]
    [InlineData("sub")]
    [InlineData("sid")]
    [InlineData("jti")]
    [InlineData("iat")]
    public Task Token_missing_a_required_claim_is_rejected(string claim) =>
        AssertRejected(Issuer.Mint(change: (_, claims) => claims[claim] = null));

    [Fact]
    public Task Token_whose_sub_is_not_a_user_id_is_rejected() =>
        AssertRejected(Issuer.Mint(change: (_, claims) => claims["sub"] = "admin"));

    [Fact]
    public Task Token_living_longer_than_allowed_is_rejected() =>
        AssertRejected(Issuer.Mint(change: (_, claims) => claims["exp"] = Now + 7200));

    [Fact]
    public async Task Valid_token_without_the_scope_is_403_problem()
    {
        using var client = fixture.App.ClientWith(Issuer.Mint(scope: "orders:read"));
        using var response = await client.PostAsJsonAsync("/orders", new { items = new[] { new { sku = "A", quantity = 1, unitPrice = 1m } } });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Flood_of_random_kids_does_not_hammer_the_jwks_endpoint()
    {
        using var attacker = RSA.Create(2048);
        var before = Issuer.JwksRequests;
        var discoveryBefore = Issuer.DiscoveryRequests;
        for (var i = 0; i < 40; i++)
        {
            var token = Issuer.Mint(change: (header, _) => header["kid"] = Guid.NewGuid().ToString("N"),
                sign: data => attacker.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
            using var response = await GetOrders(token);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        // RefreshInterval (30 s) allows at most one refresh in this burst, whatever the number of kids.
        Assert.InRange(Issuer.JwksRequests - before, 0, 1);
        Assert.InRange(Issuer.DiscoveryRequests - discoveryBefore, 0, 1);
    }

    private async Task<HttpResponseMessage> GetOrders(string token)
    {
        using var client = fixture.App.ClientWith(token);
        return await client.GetAsync("/orders");
    }

    private async Task AssertRejected(string token)
    {
        using var response = await GetOrders(token);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(token.Split('.')[0], body, StringComparison.Ordinal);
        Assert.DoesNotContain(Base64UrlEncoder.Encode(Issuer.Key.ExportParameters(false).Modulus), body, StringComparison.Ordinal);
    }
}
