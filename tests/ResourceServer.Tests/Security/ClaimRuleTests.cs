using static Platform.ResourceServer.Tests.Security.HostileTokens;

namespace Platform.ResourceServer.Tests.Security;

/// <summary>RFC 9068 §4 and RFC 7519 §4.1 claim rules at their boundaries, and revocation by claims, not by bytes.</summary>
[Collection(ResourceServerCollection.Name)]
public sealed class ClaimRuleTests(ResourceServerFixture fixture)
{
    // The library's defaults: 30 s of skew, 15 minutes of lifetime at most.
    private const int Skew = 30;
    private const int MaxLifetime = 15 * 60;

    private TestTokenIssuer Issuer => fixture.Issuer;

    [Theory]
    [InlineData("/")]
    [InlineData("/.")]
    [InlineData(" ")]
    public Task Issuer_that_differs_only_in_trailing_characters_is_rejected(string suffix) =>
        AssertRejectedAsync(fixture, Issuer.Mint(change: (_, claims) => claims["iss"] = Issuer.Issuer + suffix));

    [Fact]
    public Task Issuer_in_other_case_is_rejected() =>
        AssertRejectedAsync(fixture, Issuer.Mint(change: (_, claims) => claims["iss"] = Issuer.Issuer.ToUpperInvariant()));

    [Fact]
    public Task Issuer_of_another_authority_is_rejected() =>
        AssertRejectedAsync(fixture, Issuer.Mint(change: (_, claims) => claims["iss"] = "http://evil.example"));

    [Fact]
    public Task Audience_of_another_api_is_rejected() =>
        AssertRejectedAsync(fixture, Issuer.Mint(change: (_, claims) => claims["aud"] = new[] { "billing" }));

    [Fact]
    public Task Audience_list_containing_orders_among_others_is_accepted() =>
        AssertAcceptedAsync(fixture, Issuer.Mint(change: (_, claims) => claims["aud"] = new[] { "billing", "orders" }));

    [Fact]
    public Task Token_without_aud_is_rejected() =>
        AssertRejectedAsync(fixture, Issuer.Mint(change: (_, claims) => claims["aud"] = null));

    [Fact]
    public Task Audience_differing_only_in_case_is_rejected() =>
        AssertRejectedAsync(fixture, Issuer.Mint(change: (_, claims) => claims["aud"] = new[] { "Orders" }));

    [Fact]
    public Task Iat_inside_the_skew_is_accepted() =>
        AssertAcceptedAsync(fixture, Issuer.Mint(change: (_, claims) => claims["iat"] = Now + Skew - 10));

    [Fact]
    public Task Iat_just_beyond_the_skew_is_rejected() =>
        AssertRejectedAsync(fixture, Issuer.Mint(change: (_, claims) => claims["iat"] = Now + Skew + 10));

    [Fact]
    public Task Nbf_inside_the_skew_is_accepted() =>
        AssertAcceptedAsync(fixture, Issuer.Mint(change: (_, claims) => claims["nbf"] = Now + Skew - 10));

    [Fact]
    public Task Nbf_just_beyond_the_skew_is_rejected() =>
        AssertRejectedAsync(fixture, Issuer.Mint(change: (_, claims) => claims["nbf"] = Now + Skew + 10));

    [Fact]
    public Task Lifetime_of_exactly_the_maximum_is_accepted() =>
        AssertAcceptedAsync(fixture, Issuer.Mint(change: (_, claims) => claims["exp"] = (long)claims["iat"]! + MaxLifetime));

    [Fact]
    public Task Lifetime_one_second_above_the_maximum_is_rejected() =>
        AssertRejectedAsync(fixture, Issuer.Mint(change: (_, claims) => claims["exp"] = (long)claims["iat"]! + MaxLifetime + 1));

    [Fact]
    public Task Expired_token_is_rejected() =>
        AssertRejectedAsync(fixture, Issuer.Mint(change: (_, claims) =>
        {
            claims["iat"] = Now - 400;
            claims["nbf"] = Now - 400;
            claims["exp"] = Now - 100;
        }));

    [Theory]
    [InlineData("exp")]
    [InlineData("sub")]
    [InlineData("sid")]
    [InlineData("jti")]
    [InlineData("iat")]
    public Task Token_missing_a_required_claim_is_rejected(string claim) =>
        AssertRejectedAsync(fixture, Issuer.Mint(change: (_, claims) => claims[claim] = null));

    [Fact]
    public Task Sub_that_is_not_a_user_id_is_rejected() =>
        AssertRejectedAsync(fixture, Issuer.Mint(change: (_, claims) => claims["sub"] = "admin"));

    [Fact]
    public Task Empty_jti_is_rejected() =>
        AssertRejectedAsync(fixture, Issuer.Mint(change: (_, claims) => claims["jti"] = ""));

    [Fact]
    public Task Sid_that_is_not_a_session_id_is_rejected() =>
        AssertRejectedAsync(fixture, Issuer.Mint(change: (_, claims) => claims["sid"] = "*"));

    [Fact]
    public async Task Non_canonical_signature_spelling_is_rejected_so_no_second_string_names_an_accepted_token()
    {
        var token = Issuer.Mint();
        await AssertAcceptedAsync(fixture, token);
        await AssertRejectedAsync(fixture, WithNonCanonicalSignature(token));
    }

    [Fact]
    public async Task Revoked_users_token_stays_revoked_in_every_alternative_encoding()
    {
        var user = Guid.NewGuid();
        var token = Issuer.Mint(user, change: (_, claims) => claims["iat"] = Now - 5);
        // The server accepts this other presentation of the same token (scheme case, surrounding blanks).
        var otherSpelling = "bEaReR   " + token + "  ";
        await AssertAcceptedAsync(fixture, token);
        Assert.Equal(HttpStatusCode.OK, await StatusWithAuthorization(otherSpelling));

        fixture.App.Get<DenyList>().DeactivateUser(user, DateTimeOffset.UtcNow);

        await AssertRejectedAsync(fixture, token);
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithAuthorization(otherSpelling));
        await AssertRejectedAsync(fixture, WithNonCanonicalSignature(token));
        await AssertRejectedAsync(fixture, WithPadding(token));
        await AssertRejectedAsync(fixture, token.Replace('-', '+').Replace('_', '/'));
    }

    private async Task<HttpStatusCode> StatusWithAuthorization(string authorization)
    {
        using var client = fixture.App.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, ResourceServerApp.Path);
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>
    /// An RSA-2048 signature is 256 bytes: its base64url ends in a character of which only 2 bits carry data. Setting
    /// the 4 unused bits spells the same signature differently, so the token string changes while its bytes do not.
    /// </summary>
    internal static string WithNonCanonicalSignature(string token)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        var last = alphabet.IndexOf(token[^1], StringComparison.Ordinal);
        Assert.Equal(0, last & 0xF);
        return token[..^1] + alphabet[last | 0x5];
    }

    private static string WithPadding(string token)
    {
        var parts = token.Split('.');
        return string.Join('.', parts.Select(p => p.PadRight(p.Length + ((4 - (p.Length % 4)) % 4), '=')));
    }
}
