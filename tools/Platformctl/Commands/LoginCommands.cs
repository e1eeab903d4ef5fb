namespace Platform.Platformctl.Commands;

public static class LoginCommands
{
    public static IEnumerable<Command> Create(CommandRunner runner)
    {
        var login = new Command("login", "Log in as the operator (POST /auth/login, for Identity's own audience); the token itself is never printed");
        runner.SetAction(login, async (_, scope, cancellation) =>
        {
            var result = await scope.Session.LoginAsync(cancellation);
            var expires = result.ExpiresAt.ToString("u", CultureInfo.InvariantCulture);
            var kept = result.CachedIn is null ? "kept in memory only (--no-cache)" : $"cached in {result.CachedIn}, readable by you only";
            await scope.Out.WriteLineAsync($"Logged in to {scope.Settings.IdentityUrl} as {scope.Settings.Email}; access token valid until {expires}, {kept}.");
            return ExitCodes.Success;
        });

        var logout = new Command("logout", "Revoke the cached operator session (POST /auth/logout) and delete the token cache");
        runner.SetAction(logout, async (_, scope, cancellation) =>
        {
            if (scope.Session.CachedToken() is { } token)
            {
                try
                {
                    await scope.Api.PostAsync("auth/logout", null, "logout", token, cancellation);
                }
                catch (CliException failure) when (failure.ExitCode == ExitCodes.Unauthorized)
                {
                    // Already revoked or expired server-side: removing the local copy is all that is left to do.
                }
            }

            var removed = scope.Cache.Delete();
            await scope.Out.WriteLineAsync(removed ? "Logged out; the token cache is removed." : "Not logged in; nothing to remove.");
            return ExitCodes.Success;
        });

        return [login, logout];
    }
}
