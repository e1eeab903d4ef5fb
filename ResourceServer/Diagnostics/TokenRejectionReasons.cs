using Microsoft.IdentityModel.Tokens;
using Platform.ResourceServer.Tokens;

namespace Platform.ResourceServer.Diagnostics;

/// <summary>
/// Maps a refusal to a short, fixed tag value: IdentityModel's by exception type, the platform's own by
/// <see cref="TokenRefusalReason"/>. Neither the token nor any message is read, so no part of a token can reach a
/// metric and rewording a message cannot move one.
/// </summary>
internal static class TokenRejectionReasons
{
    public const string Malformed = "malformed";

    public static string Of(Exception? failure) => failure switch
    {
        null => "unknown",
        AggregateException { InnerExceptions.Count: 1 } aggregate => Of(aggregate.InnerExceptions[0]),
        TokenRefusedException refused => Of(refused.Refusal.Reason),
        SecurityTokenExpiredException => "expired",
        SecurityTokenNotYetValidException => "not_yet_valid",
        SecurityTokenInvalidAudienceException => "audience",
        SecurityTokenInvalidIssuerException => "issuer",
        SecurityTokenInvalidAlgorithmException => "algorithm",
        SecurityTokenInvalidTypeException => "type",
        SecurityTokenSignatureKeyNotFoundException => "unknown_key",
        SecurityTokenInvalidSignatureException => "signature",
        SecurityTokenNoExpirationException => "missing_claim",
        SecurityTokenMalformedException or ArgumentException => Malformed,
        _ => "other",
    };

    public static string Of(TokenRefusalReason reason) => reason switch
    {
        TokenRefusalReason.Revoked => "revoked",
        TokenRefusalReason.KeyRevoked => "key_revoked",
        TokenRefusalReason.MissingClaim => "missing_claim",
        TokenRefusalReason.Issuer => "issuer",
        TokenRefusalReason.IssuedInFuture => "not_yet_valid",
        TokenRefusalReason.LifetimeTooLong => "lifetime",
        TokenRefusalReason.Type => "type",
        TokenRefusalReason.Algorithm => "algorithm",
        // The rest are raw-structure refusals, made before any signature work.
        _ => Malformed,
    };
}
