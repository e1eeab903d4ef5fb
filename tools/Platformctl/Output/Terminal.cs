using System.Text;

namespace Platform.Platformctl.Output;

/// <summary>
/// Text that came from elsewhere (Identity's answers, a token being inspected) goes through <see cref="Safe"/> before
/// it reaches the operator's terminal. Control characters would otherwise let that text clear the screen, hide the
/// lines after it (SGR 8), set the clipboard (OSC 52), or start a line of its own that looks like the tool's; bidi
/// overrides would reorder what the operator reads. Each is shown as a visible <c>\uXXXX</c> instead.
/// </summary>
public static class Terminal
{
    public static string Safe(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Any(IsUnsafe))
            return text;
        var safe = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (IsUnsafe(c))
                safe.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            else
                safe.Append(c);
        }

        return safe.ToString();
    }

    // C0 (with newline, carriage return and tab: a value never starts a line), DEL and C1 controls; the bidi
    // embeddings and overrides (U+202A-U+202E) and isolates (U+2066-U+2069).
    private static bool IsUnsafe(char c) =>
        c is <= '\u001F' or (>= '\u007F' and <= '\u009F') or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');
}
