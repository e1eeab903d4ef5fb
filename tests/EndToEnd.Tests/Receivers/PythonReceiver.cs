using System.Diagnostics;

namespace Platform.EndToEnd.Tests.Receivers;

/// <summary>
/// <c>ssf_receiver.py</c> as a real process: a Shared Signals receiver and API written in Python's standard library,
/// with none of the platform's code between it and Identity.
/// </summary>
public sealed class PythonReceiver : IAsyncDisposable
{
    private readonly Process _process;

    private PythonReceiver(Process process, Uri url)
    {
        _process = process;
        Url = url;
    }

    public Uri Url { get; }

    public Uri EventsUrl => new(Url, "events");

    public static async Task<PythonReceiver> StartAsync(Uri identity, string audience, string apiAudience)
    {
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(TestInfrastructure.RepositoryRoot, "tests", "EndToEnd.Tests", "Receivers", "ssf_receiver.py"));
        start.ArgumentList.Add(identity.ToString());
        start.ArgumentList.Add(audience);
        start.ArgumentList.Add(apiAudience);
        var process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
        const string Prefix = "listening on ";
        if (line is null || !line.StartsWith(Prefix, StringComparison.Ordinal))
        {
            var error = await process.StandardError.ReadToEndAsync(timeout.Token);
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw new InvalidOperationException($"the Python receiver did not start: {line} {error}");
        }

        return new PythonReceiver(process, new Uri(line[Prefix.Length..] + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
