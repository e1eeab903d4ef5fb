using Microsoft.IdentityModel.Tokens;

namespace Platform.ResourceServer.Tokens;

/// <summary>
/// The issuer and key ids one discovery document trusts, indexed once per document (the ConfigurationManager hands
/// out the same object until it refreshes), so a cache hit checks them with a comparison and a set lookup.
/// </summary>
internal sealed class TrustedConfiguration(BaseConfiguration configuration)
{
    private readonly HashSet<string> _keyIds = new(
        configuration.SigningKeys.Select(key => key.KeyId).Where(id => !string.IsNullOrEmpty(id)), StringComparer.Ordinal);

    public BaseConfiguration Configuration { get; } = configuration;

    public bool Admits(CachedAccessToken token, TokenValidationParameters parameters) =>
        (string.Equals(Configuration.Issuer, token.Issuer, StringComparison.Ordinal) || IsStaticIssuer(token.Issuer, parameters))
        && HasTrustedAudience(token, parameters)
        && (_keyIds.Contains(token.Kid) || IsStaticKey(token.Kid, parameters));

    /// <summary>Parameters that carry issuer and keys themselves, with no configuration manager.</summary>
    public static bool AdmitsStatic(CachedAccessToken token, TokenValidationParameters parameters) =>
        IsStaticIssuer(token.Issuer, parameters) && HasTrustedAudience(token, parameters) && IsStaticKey(token.Kid, parameters);

    private static bool IsStaticIssuer(string issuer, TokenValidationParameters parameters)
    {
        if (string.Equals(parameters.ValidIssuer, issuer, StringComparison.Ordinal))
            return true;
        if (parameters.ValidIssuers is null)
            return false;
        foreach (var valid in parameters.ValidIssuers)
        {
            if (string.Equals(valid, issuer, StringComparison.Ordinal))
                return true;
        }

        return false;
    }

    private static bool HasTrustedAudience(CachedAccessToken token, TokenValidationParameters parameters)
    {
        foreach (var audience in token.Shape.Audiences)
        {
            if (string.Equals(parameters.ValidAudience, audience, StringComparison.Ordinal))
                return true;
            if (parameters.ValidAudiences is not null)
            {
                foreach (var valid in parameters.ValidAudiences)
                {
                    if (string.Equals(valid, audience, StringComparison.Ordinal))
                        return true;
                }
            }
        }

        return false;
    }

    private static bool IsStaticKey(string kid, TokenValidationParameters parameters)
    {
        if (string.IsNullOrEmpty(kid))
            return false;
        if (parameters.IssuerSigningKey?.KeyId == kid)
            return true;
        if (parameters.IssuerSigningKeys is null)
            return false;
        foreach (var signingKey in parameters.IssuerSigningKeys)
        {
            if (string.Equals(signingKey.KeyId, kid, StringComparison.Ordinal))
                return true;
        }

        return false;
    }
}
