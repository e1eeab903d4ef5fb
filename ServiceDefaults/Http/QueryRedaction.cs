namespace Platform.ServiceDefaults.Http;

/// <summary>
/// The query string as logs and traces may show it: the values of parameters that carry credentials are replaced,
/// everything else stays for debugging. A client may put a bearer token in <c>?access_token=</c> even where the API
/// refuses it; the refusal must not leave the token in a log file for anyone who reads the logs to replay.
/// </summary>
public static class QueryRedaction
{
    public const string Mask = "REDACTED";

    /// <summary>Matched case-insensitively, after percent-decoding, so <c>%61ccess_TOKEN</c> is caught too.</summary>
    public static readonly IReadOnlySet<string> SensitiveNames = new HashSet<string>(
        ["access_token", "token", "refresh_token", "code", "id_token", "client_secret", "password"], StringComparer.OrdinalIgnoreCase);

    /// <summary>The query (with its leading <c>?</c>, or empty) with every sensitive value masked.</summary>
    public static string Redact(string? query)
    {
        if (string.IsNullOrEmpty(query))
            return "";
        var body = query.StartsWith('?') ? query[1..] : query;
        var parts = body.Split('&');
        for (var i = 0; i < parts.Length; i++)
        {
            var separator = parts[i].IndexOf('=', StringComparison.Ordinal);
            var name = separator < 0 ? parts[i] : parts[i][..separator];
            if (IsSensitive(name))
                parts[i] = name + "=" + Mask;
        }

        return "?" + string.Join('&', parts);
    }

    /// <summary>A URL with its query redacted; what is not a valid absolute URL is dropped whole rather than guessed at.</summary>
    public static string Redact(Uri? uri)
    {
        if (uri is null || !uri.IsAbsoluteUri)
            return "";
        return uri.GetLeftPart(UriPartial.Path) + Redact(uri.Query);
    }

    private static bool IsSensitive(string name)
    {
        string decoded;
        try
        {
            decoded = Uri.UnescapeDataString(name.Replace('+', ' '));
        }
        catch (UriFormatException)
        {
            // A name that cannot be decoded could hide anything: treat it as a credential.
            return true;
        }

        return SensitiveNames.Contains(decoded.Trim());
    }
}
