using Platform.Identity.OAuth;
using Platform.TokenRules;

namespace Platform.Identity.Apis;

public static class DiscoveryApi
{
    // RFC 6749 §2.3.1; revocation also takes public callers, who prove possession with the token itself.
    private static readonly string[] ClientAuthMethods = ["client_secret_basic", "client_secret_post"];

    public static IEndpointRouteBuilder MapDiscoveryApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/.well-known").AllowAnonymous();
        group.MapGet("/openid-configuration", GetConfiguration).WithSummary("Discovery document (RFC 8414): issuer, jwks_uri and the OAuth endpoints");
        group.MapGet("/jwks.json", GetKeys).WithSummary("Public signing keys (JWKS), cacheable");
        return app;
    }

    public static Ok<DiscoveryDocument> GetConfiguration(IOptions<IdentityServiceOptions> options)
    {
        // Normalised at start (IdentityServiceOptions.Normalise): the same text as the tokens' iss.
        var issuer = options.Value.Issuer;
        return TypedResults.Ok(new DiscoveryDocument(
            issuer,
            issuer + "/.well-known/jwks.json",
            issuer + "/connect/token",
            issuer + "/connect/revocation",
            issuer + "/connect/introspect",
            [AccessTokenRules.Algorithm],
            [AccessTokenRules.Algorithm],
            ["public"],
            ["openid", .. PlatformScopes.All],
            [TokenGrants.RefreshToken, TokenGrants.ClientCredentials],
            ClientAuthMethods,
            ClientAuthMethods,
            ClientAuthMethods));
    }

    /// <summary>Built field by field from public parameters, so no private member can ever slip in.</summary>
    public static Ok<JsonWebKeySet> GetKeys(SigningKeyStore store, IOptions<IdentityServiceOptions> options, HttpContext context)
    {
        var maxAge = (int)options.Value.SigningKeys.JwksMaxAge.TotalSeconds;
        context.Response.Headers.CacheControl = $"public, max-age={maxAge}";
        var keys = store.Published.Select(k => new PublicJsonWebKey("RSA", "sig", AccessTokenRules.Algorithm, k.Id, k.Modulus, k.Exponent)).ToList();
        return TypedResults.Ok(new JsonWebKeySet(keys));
    }
}

public sealed record DiscoveryDocument(
    [property: JsonPropertyName("issuer")] string Issuer,
    [property: JsonPropertyName("jwks_uri")] string JwksUri,
    [property: JsonPropertyName("token_endpoint")] string TokenEndpoint,
    [property: JsonPropertyName("revocation_endpoint")] string RevocationEndpoint,
    [property: JsonPropertyName("introspection_endpoint")] string IntrospectionEndpoint,
    [property: JsonPropertyName("id_token_signing_alg_values_supported")] string[] IdTokenSigningAlgValuesSupported,
    [property: JsonPropertyName("token_endpoint_auth_signing_alg_values_supported")] string[] TokenSigningAlgValuesSupported,
    [property: JsonPropertyName("subject_types_supported")] string[] SubjectTypesSupported,
    [property: JsonPropertyName("scopes_supported")] string[] ScopesSupported,
    [property: JsonPropertyName("grant_types_supported")] string[] GrantTypesSupported,
    [property: JsonPropertyName("token_endpoint_auth_methods_supported")] string[] TokenEndpointAuthMethodsSupported,
    [property: JsonPropertyName("revocation_endpoint_auth_methods_supported")] string[] RevocationEndpointAuthMethodsSupported,
    [property: JsonPropertyName("introspection_endpoint_auth_methods_supported")] string[] IntrospectionEndpointAuthMethodsSupported);

public sealed record JsonWebKeySet([property: JsonPropertyName("keys")] IReadOnlyList<PublicJsonWebKey> Keys);

public sealed record PublicJsonWebKey(
    [property: JsonPropertyName("kty")] string Kty,
    [property: JsonPropertyName("use")] string Use,
    [property: JsonPropertyName("alg")] string Alg,
    [property: JsonPropertyName("kid")] string Kid,
    [property: JsonPropertyName("n")] string N,
    [property: JsonPropertyName("e")] string E);
