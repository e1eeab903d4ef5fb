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

    /// <summary>Too many wrong passwords were tried through the session (its network is locked out of the account).</summary>
    public const string LockedOut = "locked-out";

    /// <summary>An operator removed one of the user's roles; tokens listing it must stop working.</summary>
    public const string RolesChanged = "roles-changed";

    /// <summary>The user's password, roles or active state changed after the session began; found when it was next used.</summary>
    public const string CredentialsChanged = "credentials-changed";

    /// <summary>A holder of one of the session's tokens revoked it (RFC 7009).</summary>
    public const string TokenRevoked = "token-revoked";
}
