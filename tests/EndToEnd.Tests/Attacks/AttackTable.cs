namespace Platform.EndToEnd.Tests.Attacks;

/// <summary>
/// One row per hostile request: what the contract expects and what came back. Printed whole (test output and
/// console) before asserting, so a failing run still shows every other row.
/// </summary>
internal sealed class AttackTable(string title)
{
    private readonly List<(string Case, string Expected, string Got, bool Passed)> _rows = [];

    public int Count => _rows.Count;

    public void Add(string name, string expected, string got, bool passed) => _rows.Add((name, expected, got, passed));

    /// <summary>A row whose expectation is one exact status.</summary>
    public void Expect(string name, HttpStatusCode expected, HttpStatusCode got) =>
        Add(name, Status(expected), Status(got), expected == got);

    /// <summary>A row that accepts any of several statuses (e.g. 400 or 404 for a malformed id), never a 5xx.</summary>
    public void ExpectAny(string name, HttpStatusCode got, params HttpStatusCode[] allowed) =>
        Add(name, string.Join(" or ", allowed.Select(Status)), Status(got), allowed.Contains(got));

    public static string Status(HttpStatusCode code) => $"{(int)code}";

    public void PrintAndAssert(ITestOutputHelper output)
    {
        var text = Render();
        output.WriteLine(text);
        Console.WriteLine(text);
        var failed = _rows.Where(r => !r.Passed).Select(r => $"{r.Case}: expected {r.Expected}, got {r.Got}").ToList();
        Assert.True(failed.Count == 0, $"{failed.Count} of {_rows.Count} attack rows failed:\n" + string.Join('\n', failed));
    }

    private string Render()
    {
        var width = Math.Max(4, _rows.Count == 0 ? 4 : _rows.Max(r => r.Case.Length));
        var text = new StringBuilder().AppendLine($"[attacks] {title}");
        text.AppendLine($"{"case".PadRight(width)} | expected   | got        | ok");
        foreach (var (name, expected, got, passed) in _rows)
            text.AppendLine($"{name.PadRight(width)} | {expected,-10} | {got,-10} | {(passed ? "yes" : "NO")}");
        return text.ToString();
    }
}
