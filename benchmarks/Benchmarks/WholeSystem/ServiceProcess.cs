using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace Platform.Benchmarks.WholeSystem;

/// <summary>One Release build of a service as a process of its own, on a loopback URL; killed on dispose.</summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly HttpClient _client;

    private ServiceProcess(Process process, Uri url)
    {
        _process = process;
        Url = url;
        _client = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(5) };
    }

    public Uri Url { get; }

    public int Id => _process.Id;

    /// <summary>A free loopback URL, for a service that must know its own address (Identity's issuer).</summary>
    public static Uri NewUrl() => new($"http://127.0.0.1:{ExternalProcess.FreePort()}");

    /// <param name="name">The project: Identity or Orders.</param>
    public static ServiceProcess Start(string name, Uri url, IReadOnlyDictionary<string, string> environment)
    {
        var root = TestInfrastructure.RepositoryRoot;
        return Start(Path.Combine(root, name, "bin", "Release", "net10.0", $"Platform.{name}.dll"), [], Path.Combine(root, name), url, environment);
    }

    /// <summary>Any built assembly with arguments, such as this benchmark's own small apps.</summary>
    public static ServiceProcess Start(
        string assembly, IReadOnlyList<string> arguments, string workingDirectory, Uri url, IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(environment);
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(assembly);
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment)
            start.Environment[key] = value;
        start.Environment["ASPNETCORE_URLS"] = url.ToString().TrimEnd('/');
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{Path.GetFileName(assembly)} did not start.");
        // Drained so a chatty service never blocks on a full pipe; its output is not part of the figures.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ServiceProcess(process, url);
    }

    /// <summary>Waits until readiness answers 200 (Healthy or Degraded), for stacks that only need the service up.</summary>
    public async Task WaitReadyAsync(string name)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var response = await _client.GetAsync(new Uri("/health/ready", UriKind.Relative));
                if (response.IsSuccessStatusCode)
                    return;
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"{name} did not become ready within 120 s.");
    }

    /// <returns>The overall readiness status (Healthy, Degraded, Unhealthy), or null while the service does not answer.</returns>
    public async Task<string?> ReadinessAsync()
    {
        try
        {
            using var response = await _client.GetAsync(new Uri("/health/ready", UriKind.Relative));
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            return body.TryGetProperty("status", out var status) ? status.GetString() : null;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Peak resident memory so far (VmHWM), in bytes.</summary>
    public long PeakResidentBytes()
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line["VmHWM:".Length..].Replace("kB", "", StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture) * 1024;
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
