namespace Platform.Platformctl.Cli;

/// <summary>
/// Everything a command touches outside the process (streams, environment, network), injectable so the whole
/// command tree runs in-process in tests.
/// </summary>
public sealed class CliContext
{
    public CliContext(
        TextWriter stdout,
        TextWriter stderr,
        TextReader? stdin = null,
        HttpMessageHandler? handler = null,
        Func<string, string?>? environment = null,
        TimeProvider? time = null)
    {
        Stdout = stdout;
        Stderr = stderr;
        Stdin = stdin ?? TextReader.Null;
        Handler = handler;
        Environment = environment ?? System.Environment.GetEnvironmentVariable;
        Time = time ?? TimeProvider.System;
    }

    public TextWriter Stdout { get; }

    public TextWriter Stderr { get; }

    public TextReader Stdin { get; }

    /// <summary>When set, every HTTP request goes through it (tests point it at an in-memory server).</summary>
    public HttpMessageHandler? Handler { get; }

    public Func<string, string?> Environment { get; }

    /// <summary>The clock token lifetimes are judged by.</summary>
    public TimeProvider Time { get; }

    public HttpClient CreateHttpClient(Uri baseAddress)
    {
        var client = Handler is null ? new HttpClient() : new HttpClient(Handler, disposeHandler: false);
        client.BaseAddress = baseAddress;
        client.Timeout = TimeSpan.FromSeconds(30);
        return client;
    }
}
