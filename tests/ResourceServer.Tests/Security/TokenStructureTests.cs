using static Platform.ResourceServer.Tests.Security.HostileTokens;

namespace Platform.ResourceServer.Tests.Security;

/// <summary>
/// RFC 7515/7519 structure and RFC 9068 typing, on tokens validly signed with the trusted key: only the rule under
/// test can refuse them, so each test fails if that rule is missing.
/// </summary>
[Collection(ResourceServerCollection.Name)]
public sealed class TokenStructureTests(ResourceServerFixture fixture)
{
    private TestTokenIssuer Issuer => fixture.Issuer;

    [Fact]
    public Task Token_as_Identity_issues_it_is_accepted() => AssertAcceptedAsync(fixture, Issuer.Mint());

    [Theory]
    [InlineData("at+jwt")]
    [InlineData("AT+JWT")]
    [InlineData("application/at+jwt")]
    [InlineData("Application/AT+JWT")]
    public Task Typ_at_jwt_in_either_rfc9068_form_and_any_case_is_accepted(string typ) =>
        AssertAcceptedAsync(fixture, Issuer.Mint(change: (header, _) => header["typ"] = typ));

    [Theory]
    [InlineData("JWT")]
    [InlineData("jwt")]
    [InlineData("application/jwt")]
    [InlineData("at+jwt ")]
    [InlineData("at+jwt;charset=utf-8")]
    [InlineData("")]
    [InlineData(null)]
    public Task Typ_other_than_an_access_token_type_is_rejected(string? typ) =>
        AssertRejectedAsync(fixture, Issuer.Mint(change: (header, _) => header["typ"] = typ));

    [Fact]
    public Task Crit_naming_an_extension_is_rejected() =>
        AssertRejectedAsync(fixture, SignRaw(Issuer, Header(Issuer, extra: "\"crit\":[\"urn:x-evil\"],\"urn:x-evil\":true"), Claims(Issuer)));

    [Fact]
    public Task Crit_even_empty_is_rejected() =>
        AssertRejectedAsync(fixture, SignRaw(Issuer, Header(Issuer, extra: "\"crit\":[]"), Claims(Issuer)));

    [Fact]
    public async Task Payload_with_two_sub_members_is_rejected()
    {
        var victim = Guid.NewGuid();
        var token = SignRaw(Issuer, Header(Issuer), Claims(Issuer, extra: $"\"sub\":\"{victim}\""));
        await AssertRejectedAsync(fixture, token);
    }

    [Fact]
    public Task Header_with_two_alg_members_is_rejected() =>
        AssertRejectedAsync(fixture, SignRaw(Issuer, Header(Issuer, extra: "\"alg\":\"RS256\""), Claims(Issuer)));

    [Fact]
    public Task Duplicate_hidden_by_a_json_escape_is_rejected() =>
        AssertRejectedAsync(fixture, SignRaw(Issuer, Header(Issuer), Claims(Issuer, extra: $"\"\\u0073ub\":\"{Guid.NewGuid()}\"")));

    [Theory]
    [InlineData("exp")]
    [InlineData("nbf")]
    [InlineData("iat")]
    public Task NumericDate_given_as_a_string_is_rejected(string claim) =>
        AssertRejectedAsync(fixture, Issuer.Mint(change: (_, claims) => claims[claim] = claims[claim]!.ToString()));

    [Fact]
    public Task Far_future_exp_as_a_string_is_rejected() =>
        AssertRejectedAsync(fixture, Issuer.Mint(change: (_, claims) => claims["exp"] = "9999999999"));

    [Fact]
    public async Task Token_above_the_size_cap_is_401_not_431()
    {
        var token = Issuer.Mint(change: (_, claims) => claims["pad"] = new string('a', 9000));
        Assert.True(token.Length > 8192);
        await AssertRejectedAsync(fixture, token);
    }

    [Fact]
    public Task Token_just_below_the_size_cap_is_accepted()
    {
        var token = Issuer.Mint(change: (_, claims) => claims["pad"] = new string('a', 5000));
        Assert.InRange(token.Length, 6000, 8192);
        return AssertAcceptedAsync(fixture, token);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("\"claims\"")]
    [InlineData("{\"sub\":1}{\"sub\":2}")]
    public Task Payload_that_is_not_one_json_object_is_rejected(string payload) =>
        AssertRejectedAsync(fixture, SignRaw(Issuer, Header(Issuer), payload));

    [Fact]
    public Task Header_that_is_a_json_array_is_rejected() =>
        AssertRejectedAsync(fixture, SignRaw(Issuer, "[" + Header(Issuer) + "]", Claims(Issuer)));

    [Fact]
    public Task Deeply_nested_payload_is_rejected() =>
        AssertRejectedAsync(fixture, SignRaw(Issuer, Header(Issuer),
            Claims(Issuer, extra: "\"deep\":" + new string('[', 500) + new string(']', 500))));

    [Fact]
    public Task Payload_with_invalid_utf8_is_rejected()
    {
        var payload = Encoding.UTF8.GetBytes(Claims(Issuer, extra: "\"name\":\"XX\""));
        var at = Array.IndexOf(payload, (byte)'X');
        payload[at] = 0xC3;
        payload[at + 1] = 0x28;
        return AssertRejectedAsync(fixture, SignRaw(Issuer, Encoding.UTF8.GetBytes(Header(Issuer)), payload));
    }

    [Fact]
    public Task Payload_swapped_under_another_tokens_signature_is_rejected()
    {
        var parts = Issuer.Mint(scope: "orders:read").Split('.');
        var forged = Issuer.Mint(scope: "orders:read orders:write admin").Split('.')[1];
        return AssertRejectedAsync(fixture, $"{parts[0]}.{forged}.{parts[2]}");
    }

    [Fact]
    public async Task Refresh_token_presented_as_a_bearer_token_is_rejected()
    {
        var refreshToken = Base64UrlEncoder.Encode(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        await AssertRejectedAsync(fixture, refreshToken);
    }

    [Fact]
    public Task Jwe_shaped_token_with_five_parts_is_rejected() =>
        AssertRejectedAsync(fixture, Issuer.Mint() + ".AAAA.BBBB");
}
