namespace Platform.Platformctl.Cli;

/// <summary>Options every command accepts. There is deliberately no --password: argv is visible to other users.</summary>
public sealed class GlobalOptions
{
    public const string IdentityUrlVariable = "PLATFORM_IDENTITY_URL";
    public const string EmailVariable = "PLATFORM_OPERATOR_EMAIL";
    public const string PasswordVariable = "PLATFORM_OPERATOR_PASSWORD";

    public Option<string?> IdentityUrl { get; } = new("--identity-url")
    {
        Description = $"Identity's base URL, e.g. http://localhost:5100 (default: ${IdentityUrlVariable})",
        Recursive = true,
    };

    public Option<string?> Email { get; } = new("--email")
    {
        Description = $"The operator's e-mail (default: ${EmailVariable})",
        Recursive = true,
    };

    public Option<bool> PasswordStdin { get; } = new("--password-stdin")
    {
        Description = $"Read the operator's password from the first line of standard input (default: ${PasswordVariable})",
        Recursive = true,
    };

    public Option<bool> NoCache { get; } = new("--no-cache")
    {
        Description = "Keep the access token in memory only: neither read nor write the token cache file",
        Recursive = true,
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Print the server's JSON instead of tables",
        Recursive = true,
    };

    public void AddTo(Command root)
    {
        root.Options.Add(IdentityUrl);
        root.Options.Add(Email);
        root.Options.Add(PasswordStdin);
        root.Options.Add(NoCache);
        root.Options.Add(Json);
    }
}
