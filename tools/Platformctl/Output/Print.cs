namespace Platform.Platformctl.Output;

/// <summary>Small helpers the commands share for turning Identity's answers into output.</summary>
public static class Print
{
    /// <summary>Writes the raw JSON when --json was given; true when it did.</summary>
    public static bool JsonIfAsked(OperatorScope scope, JsonElement? body)
    {
        if (!scope.Settings.Json)
            return false;
        if (body is { } value)
            JsonOutput.Write(scope.Out, value);
        return true;
    }

    /// <summary>The rows of a list answer: either a bare array or a page object's items.</summary>
    public static IReadOnlyList<JsonElement> Items(JsonElement body) => body.ValueKind switch
    {
        JsonValueKind.Array => [.. body.EnumerateArray()],
        JsonValueKind.Object when body.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Array => [.. items.EnumerateArray()],
        _ => [],
    };

    public static string Field(JsonElement body, string name) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty(name, out var value) ? TextTable.Format(value) : "-";
}
