using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Platform.ResourceServer.Tokens;
using Platform.TokenRules;

namespace Platform.ResourceServer.Tests.Diagnostics;

/// <summary>Refusals carry a typed reason, and the rejection metric's tag follows the reason, never the wording.</summary>
public sealed class TokenRejectionReasonTests
{
    [Theory]
    [InlineData(TokenRefusalReason.Revoked, "revoked")]
    [InlineData(TokenRefusalReason.MissingClaim, "missing_claim")]
    [InlineData(TokenRefusalReason.Issuer, "issuer")]
    [InlineData(TokenRefusalReason.IssuedInFuture, "not_yet_valid")]
    [InlineData(TokenRefusalReason.LifetimeTooLong, "lifetime")]
    [InlineData(TokenRefusalReason.Type, "type")]
    [InlineData(TokenRefusalReason.DuplicateMember, "malformed")]
    public void A_refusal_is_tagged_by_its_reason_whatever_its_message_says(TokenRefusalReason reason, string tag)
    {
        var failure = new TokenRefusedException(new TokenRefusal(reason, "Reworded: nothing a substring match would recognise."));

        Assert.Equal(tag, TokenRejectionReasons.Of(failure));
    }

    [Fact]
    public void A_message_naming_another_reason_does_not_move_the_tag()
    {
        var failure = new TokenRefusedException(new TokenRefusal(TokenRefusalReason.LifetimeTooLong, "The token has been revoked."));

        Assert.Equal("lifetime", TokenRejectionReasons.Of(failure));
    }

    [Theory]
    [InlineData("""{"alg":"RS256","typ":"JWT"}""", """{"sub":"x"}""", TokenRefusalReason.Type)]
    [InlineData("""{"alg":"HS256","typ":"at+jwt"}""", """{"sub":"x"}""", TokenRefusalReason.Algorithm)]
    [InlineData("""{"alg":"RS256","typ":"at+jwt","jku":"https://evil.test"}""", """{"sub":"x"}""", TokenRefusalReason.KeyInHeader)]
    [InlineData("""{"alg":"RS256","typ":"at+jwt"}""", """{"sub":"x","sub":"y"}""", TokenRefusalReason.DuplicateMember)]
    [InlineData("""{"alg":"RS256","typ":"at+jwt"}""", """{"exp":"1"}""", TokenRefusalReason.DateNotNumber)]
    public void TokenShape_names_the_rule_a_token_breaks(string header, string payload, TokenRefusalReason reason)
    {
        var token = Encode(header) + "." + Encode(payload) + ".c2ln";

        Assert.Equal(reason, TokenShape.Check(token)?.Reason);
    }

    [Fact]
    public void AccessTokenClaims_refuses_a_missing_jti_and_an_overlong_lifetime_by_reason()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var claims = $$"""{"sub":"{{Guid.NewGuid()}}","sid":"{{Guid.NewGuid()}}","iat":{{now}},"exp":{{now + 3600}}""";
        var withoutJti = new JsonWebToken("""{"alg":"RS256"}""", claims + "}");
        var overlong = new JsonWebToken("""{"alg":"RS256"}""", claims + ""","jti":"j"}""");

        Assert.Equal(TokenRefusalReason.MissingClaim, AccessTokenClaims.Read(withoutJti, out _)?.Reason);
        Assert.Null(AccessTokenClaims.Read(overlong, out var read));
        Assert.Equal(TokenRefusalReason.LifetimeTooLong,
            read.Refusal(now, AccessTokenRules.MaxClockSkew, AccessTokenRules.DefaultMaxLifetime)?.Reason);
    }

    private static string Encode(string json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));
}
