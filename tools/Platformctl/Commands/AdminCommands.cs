using Platform.Platformctl.Output;

namespace Platform.Platformctl.Commands;

/// <summary>Sessions, signing keys and the audit trail: one request each.</summary>
public static class AdminCommands
{
    public static Command Sessions(CommandRunner runner)
    {
        var id = new Argument<Guid>("sessionId") { Description = "The session's id (see 'users show')" };
        var wait = RevocationWait.WaitOption();
        var timeout = RevocationWait.TimeoutOption();
        var revoke = new Command("revoke", "Revoke a session (DELETE /admin/sessions/{id}); its tokens are rejected within moments") { id, wait, timeout };
        runner.SetAction(revoke, async (parse, scope, cancellation) =>
        {
            var sessionId = parse.GetValue(id);
            var answer = await scope.Session.CallForAnswerAsync(HttpMethod.Delete, $"admin/sessions/{sessionId}", null, "sessions revoke", cancellation);
            await scope.Out.WriteLineAsync($"Session {sessionId} is revoked.");
            return await RevocationWait.IfAskedAsync(parse, wait, timeout, scope, answer.RevocationEvent, cancellation);
        });
        return new Command("sessions", "Revoke sessions (admin API)") { revoke };
    }

    public static Command Keys(CommandRunner runner)
    {
        var list = new Command("list", "List signing keys and their status (GET /admin/keys)");
        runner.SetAction(list, async (_, scope, cancellation) =>
        {
            var body = await scope.Session.CallAsync(HttpMethod.Get, "admin/keys", null, "keys list", cancellation);
            if (!Print.JsonIfAsked(scope, body))
                TextTable.Write(scope.Out, body is { } keys ? Print.Items(keys) : []);
            return ExitCodes.Success;
        });

        var rotate = new Command("rotate", "Force a key rotation (POST /admin/keys/rotate); the new key is published before it signs");
        runner.SetAction(rotate, async (_, scope, cancellation) =>
        {
            var body = await scope.Session.CallAsync(HttpMethod.Post, "admin/keys/rotate", null, "keys rotate", cancellation);
            if (!Print.JsonIfAsked(scope, body))
            {
                var kid = body is { } value ? Print.Field(value, "kid") : "-";
                await scope.Out.WriteLineAsync($"Rotation started: key {kid} is published now and signs once validators have had time to fetch it.");
            }

            return ExitCodes.Success;
        });
        var kid = new Argument<string>("kid") { Description = "The key's id (see 'keys list')" };
        var revoke = new Command("revoke", "Withdraw a possibly leaked key at once (POST /admin/keys/{kid}/revoke); tokens it signed are refused") { kid };
        runner.SetAction(revoke, async (parse, scope, cancellation) =>
        {
            var keyId = parse.GetValue(kid)!;
            var body = await scope.Session.CallAsync(
                HttpMethod.Post, $"admin/keys/{Uri.EscapeDataString(keyId)}/revoke", null, "keys revoke", cancellation);
            if (!Print.JsonIfAsked(scope, body))
            {
                var signing = body is { } value ? Print.Field(value, "signingKid") : "-";
                await scope.Out.WriteLineAsync($"Key {keyId} is revoked: it is out of the JWKS and its tokens are refused; key {signing} signs now.");
            }

            return ExitCodes.Success;
        });
        return new Command("keys", "Signing keys (admin API)") { list, rotate, revoke };
    }

    public static Command Revocations(CommandRunner runner)
    {
        var id = new Argument<Guid>("eventId") { Description = "The event's id (the Revocation-Event header, or the bulk answer's events)" };
        var show = new Command("show", "Which live resource-server instances applied a revocation event (GET /admin/revocations/{eventId})") { id };
        runner.SetAction(show, async (parse, scope, cancellation) =>
        {
            var body = await scope.Session.CallAsync(HttpMethod.Get, $"admin/revocations/{parse.GetValue(id)}", null, "revocations show", cancellation);
            if (Print.JsonIfAsked(scope, body) || body is not { } delivery)
                return ExitCodes.Success;
            TextTable.WriteFields(scope.Out, delivery, ["applied"]);
            if (delivery.TryGetProperty("applied", out var applied) && applied.ValueKind == JsonValueKind.Array)
            {
                await scope.Out.WriteLineAsync();
                await scope.Out.WriteLineAsync("Applied by:");
                TextTable.Write(scope.Out, [.. applied.EnumerateArray()]);
            }

            return ExitCodes.Success;
        });
        return new Command("revocations", "Follow revocation events to the resource servers (admin API)") { show };
    }

    public static Command Audit(CommandRunner runner)
    {
        var user = new Option<Guid?>("--user") { Description = "Only records about this user id" };
        var audit = new Command("audit", "Show the operators' audit trail (GET /admin/audit)") { user };
        runner.SetAction(audit, async (parse, scope, cancellation) =>
        {
            var path = parse.GetValue(user) is { } userId ? $"admin/audit?userId={userId}" : "admin/audit";
            var body = await scope.Session.CallAsync(HttpMethod.Get, path, null, "audit", cancellation);
            if (!Print.JsonIfAsked(scope, body))
                TextTable.Write(scope.Out, body is { } records ? Print.Items(records) : []);
            return ExitCodes.Success;
        });
        return audit;
    }
}
