namespace Platform.ServiceDefaults.Http;

/// <summary>
/// The one reading of <c>page</c> and <c>pageSize</c> for every list endpoint. The page is capped so the offset
/// (page − 1) × pageSize can never overflow into a negative OFFSET the database refuses: bad paging is the client's
/// 400 naming the field, never a 5xx. Nobody pages ten thousand pages deep; a search narrows the list instead.
/// </summary>
public static class Paging
{
    public const int MaxPage = 10_000;

    /// <summary>One entry per wrong field, keyed by its query name; empty when both are valid.</summary>
    public static Dictionary<string, string[]> Validate(int page, int pageSize, int maxPageSize)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (page is < 1 or > MaxPage)
            errors["page"] = [$"'page' must be between 1 and {MaxPage}."];
        if (pageSize < 1 || pageSize > maxPageSize)
            errors["pageSize"] = [$"'pageSize' must be between 1 and {maxPageSize}."];
        return errors;
    }

    /// <summary>Rows to skip; checked, because only validated values may get here.</summary>
    public static int Offset(int page, int pageSize) => checked((page - 1) * pageSize);
}
