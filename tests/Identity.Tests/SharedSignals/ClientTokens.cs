using Microsoft.IdentityModel.JsonWebTokens;
using Platform.Identity.SigningKeys;

namespace Platform.Identity.Tests.SharedSignals;

/// <summary>
/// A service client's access token as Identity issues one (typ at+jwt, no sid, sub = client_id), signed with Identity's
/// real current key taken from the running host. The one place tests mint stream-management tokens.
/// </summary>
public static class ClientTokens
{
    public const string ManageScope = "ssf:manage";

    public static string Mint(IdentityApp app, Guid clientId, string scope = ManageScope, string audience = IdentityClient.IdentityResource)
    {
        var key = app.Services.GetRequiredService<SigningKeyStore>().SigningKey!;
        var now = app.Time.GetUtcNow();
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            TokenType = "at+jwt",
            Issuer = IdentityApp.Issuer,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = now.AddMinutes(5).UtcDateTime,
            SigningCredentials = new SigningCredentials(key.PrivateKey, SecurityAlgorithms.RsaSha256),
            Claims = new Dictionary<string, object>
            {
                ["sub"] = clientId.ToString(),
                ["client_id"] = clientId.ToString(),
                ["aud"] = new[] { audience },
                ["jti"] = Guid.NewGuid().ToString(),
                ["scope"] = scope,
            },
        });
    }

    /// <summary>A new client's id and its stream-management token.</summary>
    public static (Guid ClientId, string Token) NewClient(IdentityApp app)
    {
        var clientId = Guid.NewGuid();
        return (clientId, Mint(app, clientId));
    }
}
