using Platform.Platformctl.Http;
using Platform.Platformctl.Output;

namespace Platform.Platformctl.Cli;

/// <summary>What an action gets: the resolved settings, Identity's API and the operator's session.</summary>
public sealed record OperatorScope(CliContext Context, OperatorSettings Settings, IdentityApi Api, OperatorSession Session, TokenCache Cache)
{
    public TextWriter Out => Context.Stdout;
}

/// <summary>Runs an action and turns every failure into one line on standard error and a documented exit code.</summary>
public sealed class CommandRunner(CliContext context, GlobalOptions options)
{
    public GlobalOptions Options { get; } = options;

    public void SetAction(Command command, Func<ParseResult, OperatorScope, CancellationToken, Task<int>> action) =>
        command.SetAction((parse, cancellation) => RunAsync(parse, action, cancellation));

    private async Task<int> RunAsync(
        ParseResult parse, Func<ParseResult, OperatorScope, CancellationToken, Task<int>> action, CancellationToken cancellation)
    {
        try
        {
            var settings = OperatorSettings.Resolve(parse, Options, context);
            using var api = new IdentityApi(context, settings.IdentityUrl);
            var cache = new TokenCache(context);
            var scope = new OperatorScope(context, settings, api, new OperatorSession(api, settings, cache), cache);
            return await action(parse, scope, cancellation);
        }
        catch (CliException failure)
        {
            // A failure may quote Identity's problem details.
            await context.Stderr.WriteLineAsync("platformctl: " + Terminal.Safe(failure.Message));
            return failure.ExitCode;
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            await context.Stderr.WriteLineAsync("platformctl: cancelled");
            return ExitCodes.UsageOrUnexpected;
        }
#pragma warning disable CA1031 // The tool's last line of defence: any other error still gets one line, not a stack trace.
        catch (Exception error)
#pragma warning restore CA1031
        {
            await context.Stderr.WriteLineAsync($"platformctl: unexpected error ({error.GetType().Name}): {Terminal.Safe(error.Message)}");
            return ExitCodes.UsageOrUnexpected;
        }
    }
}
