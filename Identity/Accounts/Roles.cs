namespace Platform.Identity.Accounts;

public static class Roles
{
    public const string Admin = "admin";

    /// <summary>The roles an operator can grant; anything else is a 400.</summary>
    public static readonly IReadOnlyList<string> Known = [Admin];
}
