namespace Platform.Platformctl.Cli;

/// <summary>Where Identity is and who the operator is, resolved from options first, then the environment.</summary>
public sealed class OperatorSettings
{
    private readonly Lazy<string?> _password;

    private OperatorSettings(Uri identityUrl, string? email, Func<string?> readPassword, bool useCache, bool json)
    {
        IdentityUrl = identityUrl;
        Email = email;
        _password = new Lazy<string?>(readPassword);
        UseCache = useCache;
        Json = json;
    }

    public Uri IdentityUrl { get; }

    public string? Email { get; }

    /// <summary>Read only when a login is actually needed, so standard input stays free otherwise.</summary>
    public string? Password => _password.Value;

    public bool PasswordFromStdin { get; private init; }

    public bool UseCache { get; }

    public bool Json { get; }

    public bool HasCredentials => !string.IsNullOrEmpty(Email) && !string.IsNullOrEmpty(Password);

    public static OperatorSettings Resolve(ParseResult parse, GlobalOptions options, CliContext context)
    {
        var url = parse.GetValue(options.IdentityUrl) ?? context.Environment(GlobalOptions.IdentityUrlVariable);
        if (string.IsNullOrWhiteSpace(url))
        {
            throw new CliException(ExitCodes.MissingConfiguration,
                $"Identity's URL is not set: pass --identity-url or set {GlobalOptions.IdentityUrlVariable}.");
        }

        if (!Uri.TryCreate(url.EndsWith('/') ? url : url + "/", UriKind.Absolute, out var identityUrl)
            || (identityUrl.Scheme != Uri.UriSchemeHttp && identityUrl.Scheme != Uri.UriSchemeHttps))
        {
            throw new CliException(ExitCodes.MissingConfiguration, $"Identity's URL '{url}' is not an absolute http(s) URL.");
        }

        var email = parse.GetValue(options.Email) ?? context.Environment(GlobalOptions.EmailVariable);
        var fromStdin = parse.GetValue(options.PasswordStdin);
        Func<string?> readPassword = fromStdin
            ? () => context.Stdin.ReadLine()?.TrimEnd('\r', '\n')
            : () => context.Environment(GlobalOptions.PasswordVariable);
        return new OperatorSettings(identityUrl, email, readPassword, !parse.GetValue(options.NoCache), parse.GetValue(options.Json))
        {
            PasswordFromStdin = fromStdin,
        };
    }
}
