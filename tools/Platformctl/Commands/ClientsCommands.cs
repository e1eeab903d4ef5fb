using Platform.Platformctl.Output;

namespace Platform.Platformctl.Commands;

/// <summary>Service clients: register, inspect, rotate secrets, disable (admin API).</summary>
public static class ClientsCommands
{
    public static Command Create(CommandRunner runner)
    {
        var clients = new Command("clients", "Register, inspect, rotate and disable service clients (admin API)");
        clients.Subcommands.Add(Register(runner));
        clients.Subcommands.Add(List(runner));
        clients.Subcommands.Add(Show(runner));
        clients.Subcommands.Add(RotateSecret(runner));
        clients.Subcommands.Add(Disable(runner));
        return clients;
    }

    private static Command Register(CommandRunner runner)
    {
        var name = new Option<string>("--name") { Description = "What the client is, for operators", Required = true };
        var scopes = new Option<string[]>("--scope") { Description = "A scope the client may ask for (repeat for more)", Required = true };
        var audiences = new Option<string[]>("--audience") { Description = "An audience (API) its tokens may name (repeat for more)", Required = true };
        var command = new Command("create", "Register a client (POST /admin/clients); its secret is printed once") { name, scopes, audiences };
        runner.SetAction(command, async (parse, scope, cancellation) =>
        {
            var request = new { name = parse.GetValue(name), scopes = parse.GetValue(scopes), audiences = parse.GetValue(audiences) };
            var body = await scope.Session.CallAsync(HttpMethod.Post, "admin/clients", request, "clients create", cancellation);
            if (Print.JsonIfAsked(scope, body) || body is not { } client)
                return ExitCodes.Success;
            await scope.Out.WriteLineAsync($"Client {Print.Field(client, "clientId")} ({Print.Field(client, "name")}) is registered.");
            await WriteSecretAsync(scope, client);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command List(CommandRunner runner)
    {
        var page = new Option<int>("--page") { Description = "Page number, from 1", DefaultValueFactory = _ => 1 };
        var pageSize = new Option<int>("--page-size") { Description = "Clients per page", DefaultValueFactory = _ => 20 };
        var command = new Command("list", "List service clients (GET /admin/clients)") { page, pageSize };
        runner.SetAction(command, async (parse, scope, cancellation) =>
        {
            var query = $"admin/clients?page={parse.GetValue(page)}&pageSize={parse.GetValue(pageSize)}";
            var body = await scope.Session.CallAsync(HttpMethod.Get, query, null, "clients list", cancellation);
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
        var id = ClientId();
        var command = new Command("show", "Show a service client (GET /admin/clients/{id})") { id };
        runner.SetAction(command, async (parse, scope, cancellation) =>
        {
            var body = await scope.Session.CallAsync(HttpMethod.Get, $"admin/clients/{parse.GetValue(id)}", null, "clients show", cancellation);
            if (!Print.JsonIfAsked(scope, body) && body is { } client)
                TextTable.WriteFields(scope.Out, client, []);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command RotateSecret(CommandRunner runner)
    {
        var id = ClientId();
        var command = new Command("rotate-secret", "Give a client a new secret (POST /admin/clients/{id}/secret); the old one stops working at once") { id };
        runner.SetAction(command, async (parse, scope, cancellation) =>
        {
            var clientId = parse.GetValue(id);
            var body = await scope.Session.CallAsync(HttpMethod.Post, $"admin/clients/{clientId}/secret", null, "clients rotate-secret", cancellation);
            if (Print.JsonIfAsked(scope, body) || body is not { } rotated)
                return ExitCodes.Success;
            await scope.Out.WriteLineAsync($"Client {clientId} has a new secret; the old one no longer works.");
            await WriteSecretAsync(scope, rotated);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Disable(CommandRunner runner)
    {
        var id = ClientId();
        var wait = RevocationWait.WaitOption();
        var timeout = RevocationWait.TimeoutOption();
        var command = new Command("disable", "Disable a client (POST /admin/clients/{id}/disable); its tokens are refused everywhere within moments")
        {
            id, wait, timeout,
        };
        runner.SetAction(command, async (parse, scope, cancellation) =>
        {
            var clientId = parse.GetValue(id);
            var answer = await scope.Session.CallForAnswerAsync(HttpMethod.Post, $"admin/clients/{clientId}/disable", null, "clients disable", cancellation);
            await scope.Out.WriteLineAsync($"Client {clientId} is disabled: it gets no more tokens and the ones it has are refused.");
            return await RevocationWait.IfAskedAsync(parse, wait, timeout, scope, answer.RevocationEvent, cancellation);
        });
        return command;
    }

    private static Argument<Guid> ClientId() => new("clientId") { Description = "The client's id (see 'clients list')" };

    // The secret is printed raw (a terminal-safe base64url string) on a line of its own, so it can be copied or piped.
    private static async Task WriteSecretAsync(OperatorScope scope, JsonElement body)
    {
        await scope.Out.WriteLineAsync("Client secret, shown this once (store it now; it cannot be shown again):");
        await scope.Out.WriteLineAsync("  " + Print.Field(body, "clientSecret"));
    }
}
