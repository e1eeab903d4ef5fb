using Microsoft.IdentityModel.Tokens;
using Platform.Platformctl.Tokens;

namespace Platform.Platformctl.Tests;

public sealed class TokenVerifierTests
{
    private readonly SigningKey _key = new();
    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;

    private Task<TokenVerdict> VerifyAsync(string token, DateTimeOffset? now = null, string? audience = null) =>
        TokenVerifier.VerifyAsync(DecodedToken.Parse(token), SigningKey.Issuer, _key.Jwks(), now ?? _now, audience);

    [Fact]
    public async Task A_token_signed_by_a_published_key_with_the_platform_claims_is_valid()
    {
        var verdict = await VerifyAsync(_key.CreateToken(issuedAt: _now));

        Assert.Equal(TokenStatus.Valid, verdict.Status);
    }

    [Fact]
    public async Task A_token_whose_claims_were_changed_after_signing_is_invalid()
    {
        var tampered = SigningKey.Tamper(_key.CreateToken(issuedAt: _now), "sub", Guid.NewGuid().ToString());

        var verdict = await VerifyAsync(tampered);

        Assert.Equal(TokenStatus.Invalid, verdict.Status);
        Assert.Contains("signature", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_signed_by_a_key_not_in_the_jwks_is_invalid()
    {
        var stranger = new SigningKey(_key.Kid);

        var verdict = await VerifyAsync(stranger.CreateToken(issuedAt: _now));

        Assert.Equal(TokenStatus.Invalid, verdict.Status);
    }

    [Fact]
    public async Task A_token_past_its_expiry_plus_skew_is_expired()
    {
        var token = _key.CreateToken(issuedAt: _now.AddMinutes(-20), lifetime: TimeSpan.FromMinutes(10));

        var verdict = await VerifyAsync(token);

        Assert.Equal(TokenStatus.Expired, verdict.Status);
    }

    [Fact]
    public async Task A_token_expired_by_less_than_the_skew_is_still_valid()
    {
        var token = _key.CreateToken(issuedAt: _now.AddMinutes(-10).AddSeconds(-20), lifetime: TimeSpan.FromMinutes(10));

        var verdict = await VerifyAsync(token);

        Assert.Equal(TokenStatus.Valid, verdict.Status);
    }

    [Fact]
    public async Task A_token_issued_beyond_the_skew_in_the_future_is_invalid()
    {
        var verdict = await VerifyAsync(_key.CreateToken(issuedAt: _now.AddMinutes(2)));

        Assert.Equal(TokenStatus.Invalid, verdict.Status);
        Assert.Contains("future", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_of_another_type_than_at_jwt_is_invalid()
    {
        var verdict = await VerifyAsync(_key.CreateToken(issuedAt: _now, type: "JWT"));

        Assert.Equal(TokenStatus.Invalid, verdict.Status);
        Assert.Contains("typ", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_from_another_issuer_is_invalid()
    {
        var verdict = await VerifyAsync(_key.CreateToken(issuedAt: _now, issuer: "http://evil.test"));

        Assert.Equal(TokenStatus.Invalid, verdict.Status);
        Assert.Contains("iss", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_without_sid_is_invalid()
    {
        var verdict = await VerifyAsync(_key.CreateToken(issuedAt: _now, withSid: false));

        Assert.Equal(TokenStatus.Invalid, verdict.Status);
        Assert.Contains("sid", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_signed_with_another_rsa_algorithm_than_RS256_is_invalid()
    {
        var verdict = await VerifyAsync(_key.CreateToken(issuedAt: _now, algorithm: SecurityAlgorithms.RsaSha512));

        Assert.Equal(TokenStatus.Invalid, verdict.Status);
        Assert.Contains("RS512", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unsigned_token_with_alg_none_is_invalid()
    {
        var parts = _key.CreateToken(issuedAt: _now).Split('.');
        var unsigned = Base64UrlEncoder.Encode($$"""{"alg":"none","typ":"at+jwt","kid":"{{_key.Kid}}"}""") + "." + parts[1] + ".";

        var verdict = await VerifyAsync(unsigned);

        Assert.Equal(TokenStatus.Invalid, verdict.Status);
        Assert.Contains("none", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_lacking_the_requested_audience_is_invalid()
    {
        var verdict = await VerifyAsync(_key.CreateToken(issuedAt: _now), audience: "billing");

        Assert.Equal(TokenStatus.Invalid, verdict.Status);
        Assert.Contains("aud", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_typed_with_the_full_media_type_is_valid_as_at_every_resource_server()
    {
        var verdict = await VerifyAsync(_key.CreateToken(issuedAt: _now, type: "application/AT+JWT"));

        Assert.Equal(TokenStatus.Valid, verdict.Status);
    }

    [Fact]
    public async Task A_token_living_longer_than_resource_servers_accept_is_invalid()
    {
        var verdict = await VerifyAsync(_key.CreateToken(issuedAt: _now, lifetime: TimeSpan.FromMinutes(30)));

        Assert.Equal(TokenStatus.Invalid, verdict.Status);
        Assert.Contains("lives", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_with_a_duplicate_claim_is_invalid_before_any_signature_check()
    {
        var parts = _key.CreateToken(issuedAt: _now).Split('.');
        var payload = Base64UrlEncoder.Decode(parts[1]);
        var duplicated = parts[0] + "." + Base64UrlEncoder.Encode(payload[..^1] + ",\"sub\":\"x\"}") + "." + parts[2];

        var verdict = await VerifyAsync(duplicated);

        Assert.Equal(TokenStatus.Invalid, verdict.Status);
        Assert.Contains("duplicate", verdict.Reason, StringComparison.Ordinal);
    }
}
