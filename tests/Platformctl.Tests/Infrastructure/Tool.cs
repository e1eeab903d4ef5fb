using Platform.Platformctl;

namespace Platform.Platformctl.Tests.Infrastructure;

public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public string All => Stdout + Stderr;

    /// <summary>Asserts the exit code, showing what the tool printed when it differs.</summary>
    public CliResult ExitsWith(int expected)
    {
        Assert.True(ExitCode == expected, $"expected exit code {expected}, got {ExitCode}:\n{All}");
        return this;
    }
}

/// <summary>Runs platformctl in-process with its own streams, environment and config folder: nothing of the real user's leaks in.</summary>
public sealed class Tool
{
    private readonly Dictionary<string, string?> _environment = new(StringComparer.Ordinal);

    public Tool(HttpMessageHandler? handler = null)
    {
        Handler = handler;
        ConfigDirectory = Path.Combine(Path.GetTempPath(), "platformctl-tests-" + Guid.NewGuid().ToString("N"));
        _environment["PLATFORMCTL_CONFIG_DIR"] = ConfigDirectory;
    }

    public HttpMessageHandler? Handler { get; }

    public string ConfigDirectory { get; }

    public TimeProvider? Time { get; set; }

    public Tool With(string variable, string? value)
    {
        _environment[variable] = value;
        return this;
    }

    public async Task<CliResult> RunAsync(string args, string? stdin = null)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var context = new CliContext(stdout, stderr, stdin is null ? null : new StringReader(stdin), Handler,
            name => _environment.TryGetValue(name, out var value) ? value : null, Time);
        var code = await PlatformctlApp.RunAsync(args.Split(' ', StringSplitOptions.RemoveEmptyEntries), context);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }
}
