using Microsoft.IdentityModel.JsonWebTokens;

namespace Platform.Identity.Tests.Infrastructure;

/// <summary>Validates a token the way a resource server does: keys from the published JWKS only.</summary>
public static class Jwks
{
    public static async Task<TokenValidationResult> ValidateAsync(HttpClient client, string token, TimeProvider time, string audience = "orders")
    {
        var keys = new JsonWebKeySet(await client.GetStringAsync("/.well-known/jwks.json"));
        var skew = TimeSpan.FromSeconds(30);
        return await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = IdentityApp.Issuer,
            ValidAudience = audience,
            IssuerSigningKeys = keys.GetSigningKeys(),
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            ValidTypes = ["at+jwt"],
            TryAllIssuerSigningKeys = false,
            ClockSkew = skew,
            LifetimeValidator = (notBefore, expires, _, _) =>
            {
                var now = time.GetUtcNow().UtcDateTime;
                return expires is { } exp && now <= exp + skew && (notBefore ?? now) - skew <= now;
            },
        });
    }

    public static JsonWebToken Read(string token) => new(token);
}
