using Platform.Platformctl.Output;

namespace Platform.Platformctl.Commands;

public static class UsersCommands
{
    public static Command Create(CommandRunner runner)
    {
        var users = new Command("users", "Find, inspect, deactivate and reactivate users (admin API)");
        users.Subcommands.Add(List(runner));
        users.Subcommands.Add(Show(runner));
        users.Subcommands.Add(Deactivate(runner));
        users.Subcommands.Add(Reactivate(runner));
        return users;
    }

    private static Command List(CommandRunner runner)
    {
        var search = new Option<string?>("--search") { Description = "Part of an e-mail or display name" };
        var page = new Option<int>("--page") { Description = "Page number, from 1", DefaultValueFactory = _ => 1 };
        var pageSize = new Option<int>("--page-size") { Description = "Users per page", DefaultValueFactory = _ => 20 };
        var command = new Command("list", "List users (GET /admin/users)") { search, page, pageSize };
        runner.SetAction(command, async (parse, scope, cancellation) =>
        {
            var query = $"admin/users?page={parse.GetValue(page)}&pageSize={parse.GetValue(pageSize)}";
            if (parse.GetValue(search) is { Length: > 0 } text)
                query += "&search=" + Uri.EscapeDataString(text);
            var body = await scope.Session.CallAsync(HttpMethod.Get, query, null, "users list", cancellation);
            if (Print.JsonIfAsked(scope, body))
                return ExitCodes.Success;
            var result = body ?? default;
            TextTable.Write(scope.Out, Print.Items(result));
            if (result.ValueKind == JsonValueKind.Object && result.TryGetProperty("total", out _))
                await scope.Out.WriteLineAsync($"page {Print.Field(result, "page")}, {Print.Field(result, "pageSize")} per page, {Print.Field(result, "total")} in total");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Show(CommandRunner runner)
    {
        var id = new Argument<Guid>("id") { Description = "The user's id" };
        var command = new Command("show", "Show a user and its sessions (GET /admin/users/{id})") { id };
        runner.SetAction(command, async (parse, scope, cancellation) =>
        {
            var body = await scope.Session.CallAsync(HttpMethod.Get, $"admin/users/{parse.GetValue(id)}", null, "users show", cancellation);
            if (Print.JsonIfAsked(scope, body) || body is not { } user)
                return ExitCodes.Success;
            TextTable.WriteFields(scope.Out, user, ["sessions"]);
            if (user.TryGetProperty("sessions", out var sessions) && sessions.ValueKind == JsonValueKind.Array)
            {
                await scope.Out.WriteLineAsync();
                await scope.Out.WriteLineAsync("Sessions:");
                TextTable.Write(scope.Out, [.. sessions.EnumerateArray()]);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Deactivate(CommandRunner runner)
    {
        var id = new Argument<Guid?>("id") { Description = "The user's id", Arity = ArgumentArity.ZeroOrOne };
        var file = new Option<FileInfo?>("--file")
        {
            Description = "Deactivate every user listed in this file instead: one id per line, blank lines and # comments ignored",
        };
        var reason = new Option<string?>("--reason") { Description = "Why, for the audit trail" };
        var wait = RevocationWait.WaitOption();
        var timeout = RevocationWait.TimeoutOption();
        var command = new Command("deactivate", "Deactivate a user, or every user in a file: revokes their sessions and every token they hold")
        {
            id, file, reason, wait, timeout,
        };
        command.Validators.Add(result =>
        {
            if ((result.GetValue(id) is null) == (result.GetValue(file) is null))
                result.AddError("Give either a user id or --file, not both.");
            // One event per user: following thousands is a job for the events list of --json, not for one wait.
            else if (result.GetValue(file) is not null && result.GetValue(wait))
                result.AddError("--wait follows one user's deactivation; with --file, --json lists each user's event for GET /admin/revocations/{eventId}.");
        });
        runner.SetAction(command, async (parse, scope, cancellation) =>
        {
            if (parse.GetValue(file) is { } list)
                return await DeactivateManyAsync(scope, list.FullName, parse.GetValue(reason), cancellation);
            var userId = parse.GetValue(id);
            var answer = await scope.Session.CallForAnswerAsync(
                HttpMethod.Post, $"admin/users/{userId}/deactivate", new { reason = parse.GetValue(reason) }, "users deactivate", cancellation);
            await scope.Out.WriteLineAsync($"User {userId} is deactivated; its sessions are revoked and resource servers reject its tokens.");
            return await RevocationWait.IfAskedAsync(parse, wait, timeout, scope, answer.RevocationEvent, cancellation);
        });
        return command;
    }

    /// <summary>One request for the whole file: Identity applies it all or nothing, and names the ids it refuses.</summary>
    private static async Task<int> DeactivateManyAsync(OperatorScope scope, string path, string? reason, CancellationToken cancellation)
    {
        var ids = await UserIdFile.ReadAsync(path, cancellation);
        var body = await scope.Session.CallAsync(HttpMethod.Post, "admin/users/deactivate", new { ids, reason }, "users deactivate", cancellation);
        if (Print.JsonIfAsked(scope, body))
            return ExitCodes.Success;
        var deactivated = Count(body, "deactivated");
        var already = Count(body, "alreadyInactive");
        await scope.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{deactivated} user(s) deactivated, {already} already inactive, of {ids.Length} in {path}; their sessions are revoked and resource servers reject their tokens."));
        return ExitCodes.Success;
    }

    private static int Count(JsonElement? body, string list) =>
        body is { ValueKind: JsonValueKind.Object } answer && answer.TryGetProperty(list, out var items) && items.ValueKind == JsonValueKind.Array
            ? items.GetArrayLength()
            : 0;

    private static Command Reactivate(CommandRunner runner)
    {
        var id = new Argument<Guid>("id") { Description = "The user's id" };
        var command = new Command("reactivate", "Reactivate a user; tokens issued before the deactivation stay rejected") { id };
        runner.SetAction(command, async (parse, scope, cancellation) =>
        {
            var userId = parse.GetValue(id);
            await scope.Session.CallAsync(HttpMethod.Post, $"admin/users/{userId}/reactivate", null, "users reactivate", cancellation);
            await scope.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"User {userId} is active again; it can log in."));
            return ExitCodes.Success;
        });
        return command;
    }
}
