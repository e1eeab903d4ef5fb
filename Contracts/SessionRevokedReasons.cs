namespace Platform.Contracts;

/// <summary>The values <see cref="SessionRevoked.Reason"/> takes.</summary>
public static class SessionRevokedReasons
{
    public const string Logout = "logout";
    public const string Admin = "admin";
    public const string RefreshReuse = "refresh-reuse";
    public const string PasswordChange = "password-change";
    public const string PasswordReset = "password-reset";
    public const string Deactivated = "deactivated";
    public const string RolesChanged = "roles-changed";
}
