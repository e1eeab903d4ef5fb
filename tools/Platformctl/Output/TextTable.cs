namespace Platform.Platformctl.Output;

/// <summary>
/// Plain, aligned columns: readable in a terminal and still easy to cut or grep in a script. Every name and value
/// comes from Identity, so each is made <see cref="Terminal.Safe"/> here.
/// </summary>
public static class TextTable
{
    /// <summary>Writes JSON objects as rows; columns are the given names, or the first object's properties.</summary>
    public static void Write(TextWriter output, IReadOnlyList<JsonElement> rows, IReadOnlyList<string>? columns = null)
    {
        if (rows.Count == 0)
        {
            output.WriteLine("(none)");
            return;
        }

        columns ??= rows[0].ValueKind == JsonValueKind.Object ? [.. rows[0].EnumerateObject().Select(p => p.Name)] : ["value"];
        var cells = rows.Select(row => columns.Select(column => Cell(row, column)).ToArray()).ToList();
        var header = columns.Select(Terminal.Safe).ToArray();
        var widths = header.Select((column, i) => Math.Max(column.Length, cells.Max(r => r[i].Length))).ToArray();
        WriteRow(output, header, widths);
        foreach (var row in cells)
            WriteRow(output, row, widths);
    }

    public static void WriteFields(TextWriter output, JsonElement item, IEnumerable<string> skip)
    {
        var skipped = skip.ToHashSet(StringComparer.Ordinal);
        var fields = item.EnumerateObject().Where(p => !skipped.Contains(p.Name)).Select(p => (Name: Terminal.Safe(p.Name), p.Value)).ToList();
        var width = fields.Count == 0 ? 0 : fields.Max(p => p.Name.Length);
        foreach (var field in fields)
            output.WriteLine($"{(field.Name + ":").PadRight(width + 1)} {Format(field.Value)}");
    }

    /// <summary>A JSON value as one line of terminal-safe text.</summary>
    public static string Format(JsonElement value) => Terminal.Safe(Text(value));

    private static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? "",
        JsonValueKind.Null or JsonValueKind.Undefined => "-",
        JsonValueKind.True => "yes",
        JsonValueKind.False => "no",
        JsonValueKind.Array => string.Join(",", value.EnumerateArray().Select(Text)),
        JsonValueKind.Number => value.GetRawText(),
        _ => value.GetRawText(),
    };

    private static string Cell(JsonElement row, string column) =>
        row.ValueKind == JsonValueKind.Object
            ? row.TryGetProperty(column, out var value) ? Format(value) : "-"
            : Format(row);

    private static void WriteRow(TextWriter output, string[] values, int[] widths)
    {
        var padded = values.Select((value, i) => i == values.Length - 1 ? value : value.PadRight(widths[i]));
        output.WriteLine(string.Join("  ", padded).TrimEnd());
    }
}

/// <summary>The server's JSON, indented, for --json.</summary>
public static class JsonOutput
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static void Write(TextWriter output, JsonElement value) =>
        output.WriteLine(JsonSerializer.Serialize(value, Indented));

    public static string Timestamp(long unixSeconds) =>
        DateTimeOffset.FromUnixTimeSeconds(unixSeconds).ToString("u", CultureInfo.InvariantCulture);
}
