using System.CommandLine.Parsing;
using System.Diagnostics;

namespace Platform.Platformctl.Commands;

/// <summary>
/// <c>--wait</c> and <c>--timeout</c> of the commands that revoke: polls <c>GET /admin/revocations/{eventId}</c> until
/// every live resource-server instance reported the event, then prints how many and the slowest.
/// </summary>
public static class RevocationWait
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    public static Option<bool> WaitOption() => new("--wait")
    {
        Description = "Wait until every live resource-server instance has applied the revocation; exit 8 naming the ones that have not",
    };

    public static Option<TimeSpan> TimeoutOption() => new("--timeout")
    {
        Description = "How long --wait waits, e.g. 10s, 500ms, 2m",
        DefaultValueFactory = _ => TimeSpan.FromSeconds(10),
        CustomParser = ParseTimeout,
    };

    /// <summary>Waits for <paramref name="eventId"/> when asked to; a change that published nothing has nothing to wait for.</summary>
    public static async Task<int> IfAskedAsync(ParseResult parse, Option<bool> wait, Option<TimeSpan> timeout, OperatorScope scope,
        Guid? eventId, CancellationToken cancellation)
    {
        if (!parse.GetValue(wait))
            return ExitCodes.Success;
        if (eventId is not { } id)
        {
            await scope.Out.WriteLineAsync("Nothing was published (no change was needed), so there is nothing to wait for.");
            return ExitCodes.Success;
        }

        var limit = parse.GetValue(timeout);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var delivery = await scope.Session.CallAsync(HttpMethod.Get, $"admin/revocations/{id}", null, "revocation status", cancellation)
                ?? throw new CliException(ExitCodes.Rejected, "revocation status: Identity answered without a body.");
            var pending = Strings(delivery, "pending");
            if (pending.Count == 0)
            {
                await scope.Out.WriteLineAsync($"Revocation event {id}: {Summary(delivery, pending)}.");
                return ExitCodes.Success;
            }

            if (clock.Elapsed >= limit)
            {
                throw new CliException(ExitCodes.NotApplied, string.Create(CultureInfo.InvariantCulture,
                    $"revocation event {id} not applied everywhere within {limit.TotalSeconds:0.###} s: {Summary(delivery, pending)}; pending: {string.Join(", ", pending)}."));
            }

            await Task.Delay(PollInterval, cancellation);
        }
    }

    private static string Summary(JsonElement delivery, List<string> pending)
    {
        var expected = delivery.TryGetProperty("expected", out var count) && count.TryGetInt32(out var n) ? n : 0;
        var latencies = delivery.TryGetProperty("applied", out var applied) && applied.ValueKind == JsonValueKind.Array
            ? applied.EnumerateArray().Select(a => a.TryGetProperty("latencyMs", out var ms) && ms.TryGetDouble(out var v) ? v : 0).ToList()
            : [];
        var slowest = latencies.Count > 0 ? string.Create(CultureInfo.InvariantCulture, $", slowest {latencies.Max():0} ms") : "";
        return string.Create(CultureInfo.InvariantCulture, $"applied by {expected - pending.Count}/{expected} instances{slowest}");
    }

    private static List<string> Strings(JsonElement body, string property) =>
        body.TryGetProperty(property, out var items) && items.ValueKind == JsonValueKind.Array
            ? [.. items.EnumerateArray().Select(i => i.GetString() ?? "")]
            : [];

    /// <summary>A number with a unit (ms, s, m), or a .NET time span such as 00:00:10.</summary>
    private static TimeSpan ParseTimeout(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value.Trim() : "";
        TimeSpan? value = text switch
        {
            _ when text.EndsWith("ms", StringComparison.Ordinal) && double.TryParse(text[..^2], CultureInfo.InvariantCulture, out var ms) => TimeSpan.FromMilliseconds(ms),
            _ when text.EndsWith('s') && double.TryParse(text[..^1], CultureInfo.InvariantCulture, out var s) => TimeSpan.FromSeconds(s),
            _ when text.EndsWith('m') && double.TryParse(text[..^1], CultureInfo.InvariantCulture, out var m) => TimeSpan.FromMinutes(m),
            _ when TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) => span,
            _ => null,
        };
        if (value is { } timeout && timeout > TimeSpan.Zero && timeout <= TimeSpan.FromHours(1))
            return timeout;
        result.AddError($"--timeout must be a positive duration of at most an hour, e.g. 10s, 500ms or 2m (got '{text}').");
        return default;
    }
}
