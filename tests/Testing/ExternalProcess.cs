using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Platform.Testing;

/// <summary>Runs the command-line tools that private test servers need.</summary>
public static class ExternalProcess
{
    public static async Task<string> RunAsync(
        string fileName, IEnumerable<string> arguments, IDictionary<string, string>? environment = null, int timeoutSeconds = 120)
    {
        var result = await RunForResultAsync(fileName, arguments, environment, timeoutSeconds);
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"{Path.GetFileName(fileName)} exited with {result.ExitCode}: {result.Error}{result.Output}");
        return result.Output;
    }

    /// <summary>Runs a command whose failure is the point: the exit code and both streams, whatever they are.</summary>
    public static async Task<ProcessResult> RunForResultAsync(
        string fileName, IEnumerable<string> arguments, IDictionary<string, string>? environment = null, int timeoutSeconds = 120)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            info.Environment[key] = value;

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{fileName} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(fileName)} took longer than {timeoutSeconds} s");
        }

        return new ProcessResult(process.ExitCode, await output, await error);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static bool IsRoot => Environment.UserName == "root";
}

public sealed record ProcessResult(int ExitCode, string Output, string Error);
