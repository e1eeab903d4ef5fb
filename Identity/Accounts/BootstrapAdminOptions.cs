namespace Platform.Identity.Accounts;

/// <summary>Identity:BootstrapAdmin — the first operator, created when no admin exists.</summary>
public sealed class BootstrapAdminOptions
{
    public string Email { get; set; } = "admin@platform.local";

    public string? Password { get; set; }
}
