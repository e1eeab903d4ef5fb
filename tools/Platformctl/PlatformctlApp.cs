using Platform.Platformctl.Commands;

namespace Platform.Platformctl;

/// <summary>The whole command tree, runnable in-process: tests pass their own streams, environment and HTTP handler.</summary>
public static class PlatformctlApp
{
    public static Task<int> RunAsync(
        string[] args,
        TextWriter stdout,
        TextWriter stderr,
        HttpMessageHandler? handler = null,
        TextReader? stdin = null,
        Func<string, string?>? environment = null) =>
        RunAsync(args, new CliContext(stdout, stderr, stdin, handler, environment));

    public static Task<int> RunAsync(string[] args, CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var root = BuildRootCommand(context);
        var parse = root.Parse(args);
        return parse.InvokeAsync(new InvocationConfiguration { Output = context.Stdout, Error = context.Stderr });
    }

    public static RootCommand BuildRootCommand(CliContext context)
    {
        var options = new GlobalOptions();
        var runner = new CommandRunner(context, options);
        var root = new RootCommand(
            "platformctl: the operator's command line for the platform's Identity service.\n\n" + ExitCodes.HelpText);
        options.AddTo(root);
        foreach (var command in LoginCommands.Create(runner))
            root.Subcommands.Add(command);
        root.Subcommands.Add(UsersCommands.Create(runner));
        root.Subcommands.Add(ClientsCommands.Create(runner));
        root.Subcommands.Add(AdminCommands.Sessions(runner));
        root.Subcommands.Add(AdminCommands.Revocations(runner));
        root.Subcommands.Add(AdminCommands.Keys(runner));
        root.Subcommands.Add(AdminCommands.Audit(runner));
        root.Subcommands.Add(TokenCommands.Create(runner));
        return root;
    }
}
