using Platform.Identity.Tests.OAuth;

namespace Platform.Identity.Tests.SharedSignals;

/// <summary>
/// A receiver's stream-management token, as a receiver gets one: an operator registers the client, the client asks
/// Identity's token endpoint (client_credentials) for a token for Identity's own audience.
/// </summary>
public static class ClientTokens
{
    public const string ManageScope = Platform.TokenRules.PlatformScopes.SsfManage;

    /// <summary>A new client with <c>ssf:manage</c> for Identity, and its token.</summary>
    public static async Task<(Guid ClientId, string Token)> NewClientAsync(HttpClient http)
    {
        var client = await http.RegisterClientAsync(scopes: [ManageScope], audiences: [IdentityClient.IdentityResource]);
        return (client.ClientId, await http.ClientTokenAsync(client, ("resource", IdentityClient.IdentityResource)));
    }
}
