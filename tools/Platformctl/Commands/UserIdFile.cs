namespace Platform.Platformctl.Commands;

/// <summary>
/// A list of user ids for a bulk command: one id per line; blank lines and everything after a <c>#</c> are ignored,
/// so a list can carry its own notes. Every bad line is reported with its number before anything is sent.
/// </summary>
public static class UserIdFile
{
    /// <summary>How many bad lines an error names; the count says how many there are in all.</summary>
    public const int MaxLinesShown = 10;

    public static async Task<Guid[]> ReadAsync(string path, CancellationToken cancellation)
    {
        string[] lines;
        try
        {
            lines = await File.ReadAllLinesAsync(path, cancellation);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new CliException(ExitCodes.UsageOrUnexpected, $"cannot read the id file {path}: {error.Message}");
        }

        return Parse(path, lines);
    }

    public static Guid[] Parse(string path, IReadOnlyList<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var ids = new List<Guid>();
        var bad = new List<int>();
        for (var number = 1; number <= lines.Count; number++)
        {
            var line = lines[number - 1];
            var comment = line.IndexOf('#', StringComparison.Ordinal);
            var text = (comment < 0 ? line : line[..comment]).Trim();
            if (text.Length == 0)
                continue;
            if (Guid.TryParse(text, out var id))
                ids.Add(id);
            else
                bad.Add(number);
        }

        if (bad.Count > 0)
        {
            var shown = string.Join(", ", bad.Take(MaxLinesShown));
            var more = bad.Count > MaxLinesShown ? $" and {bad.Count - MaxLinesShown} more" : "";
            throw new CliException(ExitCodes.UsageOrUnexpected,
                $"the id file {path} has {bad.Count} line(s) that are not user ids (line {shown}{more}); nothing was sent.");
        }

        if (ids.Count == 0)
            throw new CliException(ExitCodes.UsageOrUnexpected, $"the id file {path} names no user ids; nothing was sent.");
        return [.. ids];
    }
}
