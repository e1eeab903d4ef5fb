using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Platform.Benchmarks.WholeSystem;

/// <summary>
/// Identity and Orders as real Release processes on loopback, started with the environment a run gives them and
/// killed on dispose. Variable names are those of scripts/services.sh.
/// </summary>
public sealed class ServiceProcesses : IAsyncDisposable
{
    private readonly List<Process> _processes = [];

    public static Uri FreeLoopbackUrl()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}");
    }

    /// <param name="name">The project: <c>Identity</c> or <c>Orders</c>.</param>
    public void Start(string name, Uri url, Dictionary<string, string> environment)
    {
        var root = TestInfrastructure.RepositoryRoot;
        var start = new ProcessStartInfo("dotnet", Path.Combine(root, name, "bin", "Release", "net10.0", $"Platform.{name}.dll"))
        {
            WorkingDirectory = Path.Combine(root, name),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in environment)
            start.Environment[key] = value;
        start.Environment["ASPNETCORE_URLS"] = url.ToString().TrimEnd('/');
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{name} did not start.");
        // Drained so a chatty service never blocks on a full pipe; its output is not part of the figures.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes.Add(process);
    }

    public static async Task WaitReadyAsync(Uri baseUrl, string name)
    {
        using var client = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var response = await client.GetAsync("/health/ready");
                if (response.IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"{name} did not become ready within 120 s.");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in Enumerable.Reverse(_processes))
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            process.Dispose();
        }

        _processes.Clear();
    }
}
