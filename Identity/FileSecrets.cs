namespace Platform.Identity;

internal static class FileSecrets
{
    /// <summary>Writes a secret readable by the owner only, failing rather than overwriting an existing one.</summary>
    public static void WriteOnce(string path, string content)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream);
        writer.Write(content);
    }
}
