namespace Platform.Platformctl.Http;

/// <summary>
/// The operator's access token between invocations, so the password is typed once per token lifetime rather than
/// per command. Only the short-lived access token is kept (never the password or the long-lived refresh token), in a
/// file only its owner can read or write (0600) under the user's config folder; a file anyone else could read is ignored.
/// </summary>
public sealed class TokenCache
{
    public const string ConfigDirectoryVariable = "PLATFORMCTL_CONFIG_DIR";
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public TokenCache(CliContext context)
    {
        var directory = context.Environment(ConfigDirectoryVariable) is { Length: > 0 } configured
            ? configured
            : Path.Combine(
                context.Environment("XDG_CONFIG_HOME") is { Length: > 0 } xdg ? xdg : Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData),
                "platformctl");
        FilePath = Path.Combine(directory, "token.json");
    }

    public string FilePath { get; }

    public CachedToken? Read(Uri identityUrl, string? email, DateTimeOffset now)
    {
        if (!File.Exists(FilePath))
            return null;
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(FilePath) & ~OwnerOnly) != 0)
            return null;
        try
        {
            var cached = JsonSerializer.Deserialize<CachedToken>(File.ReadAllText(FilePath));
            var matches = cached is not null
                && cached.IdentityUrl == identityUrl.ToString()
                && (email is null || string.Equals(cached.Email, email, StringComparison.OrdinalIgnoreCase))
                && cached.ExpiresAt > now.AddSeconds(30)
                // A token cached for another audience (or before audiences per resource) would only earn a 403.
                && cached.Resource == IdentityApi.OperatorResource;
            return matches ? cached : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public void Write(CachedToken token)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        var temporary = FilePath + "." + Guid.NewGuid().ToString("N")[..8];
        // Created with 0600 from the first byte, then renamed over the old file: it is never readable by others.
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = OwnerOnly;
        using (var stream = new FileStream(temporary, options))
            JsonSerializer.Serialize(stream, token);
        File.Move(temporary, FilePath, overwrite: true);
    }

    public bool Delete()
    {
        if (!File.Exists(FilePath))
            return false;
        File.Delete(FilePath);
        return true;
    }
}

/// <param name="Resource">The audience the token was asked for; a cache without it predates audiences per resource.</param>
public sealed record CachedToken(string IdentityUrl, string Email, string AccessToken, DateTimeOffset ExpiresAt, string? Resource = null);
