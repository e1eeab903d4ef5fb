using Microsoft.IdentityModel.Tokens;

namespace Platform.ResourceServer.Diagnostics;

/// <summary>
/// Maps a refusal to a short, fixed tag value. Only types and the resource server's own fixed messages are read,
/// never the token, so no part of a token can reach a metric.
/// </summary>
internal static class TokenRejectionReasons
{
    public const string Malformed = "malformed";

    public static string Of(Exception? failure) => failure switch
    {
        null => "unknown",
        AggregateException { InnerExceptions.Count: 1 } aggregate => Of(aggregate.InnerExceptions[0]),
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
        _ => OfMessage(failure.Message),
    };

    // The checks made after signature validation fail with fixed messages (TokenEvents); match their gist.
    private static string OfMessage(string message) => message switch
    {
        _ when message.Contains("revoked", StringComparison.OrdinalIgnoreCase) => "revoked",
        _ when message.Contains("claim", StringComparison.OrdinalIgnoreCase) => "missing_claim",
        _ when message.Contains("issuer", StringComparison.OrdinalIgnoreCase) => "issuer",
        _ when message.Contains("future", StringComparison.OrdinalIgnoreCase) => "not_yet_valid",
        _ when message.Contains("longer", StringComparison.OrdinalIgnoreCase) => "lifetime",
        _ when message.Contains("access token", StringComparison.OrdinalIgnoreCase) => "type",
        _ => "other",
    };
}
