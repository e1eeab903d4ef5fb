using Microsoft.IdentityModel.Tokens;
using Platform.Platformctl.Http;

namespace Platform.Platformctl.Tokens;

/// <summary>Identity's issuer and public keys, found the way every resource server finds them: discovery, then jwks_uri.</summary>
public sealed record IdentityKeys(string Issuer, Uri JwksUri, JsonWebKeySet Keys)
{
    public static async Task<IdentityKeys> FetchAsync(IdentityApi api, CancellationToken cancellation)
    {
        var discovery = await api.GetAsync(".well-known/openid-configuration", "fetching the discovery document", null, cancellation)
            ?? throw new CliException(ExitCodes.Rejected, "Identity's discovery document is empty.");
        var issuer = DecodedToken.Text(discovery, "issuer")
            ?? throw new CliException(ExitCodes.Rejected, "Identity's discovery document has no issuer.");
        var jwksText = DecodedToken.Text(discovery, "jwks_uri")
            ?? throw new CliException(ExitCodes.Rejected, "Identity's discovery document has no jwks_uri.");
        if (!Uri.TryCreate(jwksText, UriKind.Absolute, out var jwksUri))
            throw new CliException(ExitCodes.Rejected, "Identity's jwks_uri is not an absolute URL.");

        var jwks = await api.GetAsync(jwksUri.ToString(), "fetching the JWKS", null, cancellation)
            ?? throw new CliException(ExitCodes.Rejected, "Identity's JWKS is empty.");
        try
        {
            return new IdentityKeys(issuer, jwksUri, new JsonWebKeySet(jwks.GetRawText()));
        }
        catch (ArgumentException)
        {
            throw new CliException(ExitCodes.Rejected, "Identity's JWKS is not a valid key set.");
        }
        catch (JsonException)
        {
            throw new CliException(ExitCodes.Rejected, "Identity's JWKS is not a valid key set.");
        }
    }
}
