namespace Platform.Identity.Apis;

/// <summary>Identity:Admin — limits of the operator API.</summary>
public sealed class AdminOptions
{
    /// <summary>
    /// The most users one bulk deactivation may name. The whole list is applied in one transaction that holds every
    /// named user's row, so this bounds how long logins of those users wait and how large one commit grows.
    /// </summary>
    public int MaxBulkDeactivation { get; set; } = 10_000;
}
