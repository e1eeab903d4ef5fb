using System.Text;
using Platform.Identity.OAuth;

namespace Platform.Identity.Clients;

/// <summary>The outcome of client authentication: a client, an error, or no credentials presented at all.</summary>
/// <param name="BasicUsed">The client tried HTTP Basic, so an <c>invalid_client</c> is challenged with it.</param>
public sealed record ClientAuthenticationResult(ServiceClient? Client, OAuthError? Error, bool BasicUsed)
{
    public bool Presented => Client is not null || Error is not null;
}

/// <summary>
/// Authenticates a service client with <c>client_secret_basic</c> (RFC 6749 §2.3.1: HTTP Basic over the form-url-encoded
/// id and secret) or <c>client_secret_post</c> (the form's <c>client_id</c> and <c>client_secret</c>), never both
/// (§2.3). An unknown client, a wrong secret and a disabled client get the same answer.
/// </summary>
public sealed class ClientAuthentication(IdentityDb db)
{
    private const string BasicPrefix = "Basic ";
    private static readonly OAuthError Refused = new(OAuthError.InvalidClient, "Client authentication failed.");

    public async Task<ClientAuthenticationResult> AuthenticateAsync(HttpRequest request, OAuthForm form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(form);
        var header = request.Headers.Authorization.ToString();
        var basic = header.StartsWith(BasicPrefix, StringComparison.OrdinalIgnoreCase);
        var posted = form.Has("client_secret");
        if (basic && posted)
            return new(null, new OAuthError(OAuthError.InvalidRequest, "Use one client authentication method, not two."), true);
        string? id, secret;
        if (basic)
        {
            if (!TryReadBasic(header.AsSpan(BasicPrefix.Length).Trim(), out id, out secret))
                return new(null, Refused, true);
        }
        else if (posted)
        {
            (id, secret) = (form["client_id"], form["client_secret"]);
        }
        else
        {
            return new(null, null, false);
        }

        var client = await FindAsync(id, secret, cancellationToken);
        return client is null ? new(null, Refused, basic) : new(client, null, basic);
    }

    private async Task<ServiceClient?> FindAsync(string? id, string? secret, CancellationToken cancellationToken)
    {
        if (secret is null || !Guid.TryParseExact(id, "D", out var clientId))
            return null;
        var client = await db.ServiceClients.AsNoTracking().SingleOrDefaultAsync(c => c.Id == clientId, cancellationToken);
        // The hash is computed and compared whether the client exists or not.
        var matches = ClientSecrets.Matches(secret, client?.SecretHash ?? new byte[32]);
        return matches && client is { DisabledAt: null } ? client : null;
    }

    private static bool TryReadBasic(ReadOnlySpan<char> encoded, out string? id, out string? secret)
    {
        id = secret = null;
        var buffer = new byte[encoded.Length];
        if (!Convert.TryFromBase64Chars(encoded, buffer, out var written))
            return false;
        string decoded;
        try
        {
            decoded = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer, 0, written);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
            return false;
        id = FormDecode(decoded[..colon]);
        secret = FormDecode(decoded[(colon + 1)..]);
        return id is not null && secret is not null;
    }

    // application/x-www-form-urlencoded, as RFC 6749 §2.3.1 asks of both parts before they are joined.
    private static string? FormDecode(string value)
    {
        try
        {
            return Uri.UnescapeDataString(value.Replace('+', ' '));
        }
        catch (UriFormatException)
        {
            return null;
        }
    }
}
