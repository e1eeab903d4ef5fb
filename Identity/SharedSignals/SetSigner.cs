using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Platform.TokenRules;

namespace Platform.Identity.SharedSignals;

/// <summary>
/// Signs a delivery row into a SET (RFC 8417, profiled by SSF 1.0 §4) with the key that signs access tokens, so a
/// receiver verifies it against the same JWKS. Its header <c>typ</c> is <c>secevent+jwt</c>, which no access-token
/// validator of the platform accepts; it has no <c>exp</c> and no <c>sub</c>, and its subject is <c>sub_id</c>.
/// </summary>
public sealed class SetSigner(SigningKeyStore keys, TimeProvider time, IOptions<IdentityServiceOptions> options)
{
    public const string Type = "secevent+jwt";

    /// <summary>The media type of a pushed SET (RFC 8935 §2).</summary>
    public const string MediaType = "application/secevent+jwt";

    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    /// <summary>Signed when sent, so a SET retried after a key rotation carries a key the JWKS still publishes.</summary>
    public string Sign(SsfDelivery delivery, string audience)
    {
        var key = keys.SigningKey ?? throw new InvalidOperationException("No signing key is loaded.");
        var payload = JsonNode.Parse(delivery.Payload)!.AsObject();
        var claims = new JsonObject
        {
            ["iss"] = options.Value.Issuer,
            ["aud"] = audience,
            ["jti"] = delivery.Id.ToString(),
            ["iat"] = time.GetUtcNow().ToUnixTimeSeconds(),
            ["sub_id"] = payload["sub_id"]!.DeepClone(),
            ["events"] = new JsonObject { [delivery.EventType] = payload["event"]!.DeepClone() },
        };
        return Handler.CreateToken(
            claims.ToJsonString(),
            new SigningCredentials(key.PrivateKey, AccessTokenRules.Algorithm),
            new Dictionary<string, object> { [JwtHeaderParameterNames.Typ] = Type });
    }
}
