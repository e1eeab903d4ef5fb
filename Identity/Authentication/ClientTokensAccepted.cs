using Microsoft.IdentityModel.JsonWebTokens;
using Platform.TokenRules;

namespace Platform.Identity.Authentication;

/// <summary>
/// Marks the endpoints that take a service client's token, which names no session (no <c>sid</c>) and whose <c>sub</c>
/// is its <c>client_id</c>. Everywhere else a token without a session is refused, as before.
/// </summary>
public sealed class ClientTokensAccepted
{
    /// <summary>The claim rules for a client token, in place of <see cref="AccessTokenClaims"/>' session; null when it passes.</summary>
    public static string? Refusal(JsonWebToken token, long now, TimeSpan lifetime)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (!token.TryGetPayloadValue<string>(PlatformClaims.Subject, out var sub) || !Guid.TryParse(sub, out var clientId)
            || !token.TryGetPayloadValue<string>("client_id", out var client) || !string.Equals(client, sub, StringComparison.Ordinal)
            || !token.TryGetPayloadValue<string>(JwtRegisteredClaimNames.Jti, out var jti) || string.IsNullOrWhiteSpace(jti)
            || !token.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Iat, out var issuedAt)
            || !token.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Exp, out var expires))
            return "The token lacks a required claim.";
        return new AccessTokenClaims(clientId, Guid.Empty, issuedAt, expires).Refusal(now, AccessTokenRules.MaxClockSkew, lifetime)?.Message;
    }
}
