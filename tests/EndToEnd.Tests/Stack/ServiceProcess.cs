using System.Net.Sockets;

namespace Platform.EndToEnd.Tests.Stack;

/// <summary>
/// One service (Identity or Orders) as a real `dotnet Platform.X.dll` process on a loopback port. Every line it
/// writes is kept across restarts, so log-hygiene tests can inspect what the service printed.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private static readonly HttpClient Probe = new() { Timeout = TimeSpan.FromSeconds(2) };
    private readonly string _dll;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly ConcurrentQueue<string> _output = new();
    private Process? _process;

    public ServiceProcess(string name, string dll, int port, IReadOnlyDictionary<string, string> environment)
    {
        Name = name;
        _dll = dll;
        Port = port;
        _environment = environment;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
    }

    public string Name { get; }

    public int Port { get; }

    public Uri BaseAddress { get; }

    public IReadOnlyCollection<string> Output => _output.ToArray();

    public bool IsRunning => _process is { HasExited: false };

    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts the process without waiting for it to become ready.</summary>
    public void Launch()
    {
        if (IsRunning)
            throw new InvalidOperationException($"{Name} is already running.");
        if (!File.Exists(_dll))
            throw new FileNotFoundException($"{Name}: {_dll} does not exist; build the solution first.", _dll);

        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(_dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(_dll);
        // The developer's shell may carry the platform's own settings; only the stack's values may reach the child.
        foreach (var inherited in start.Environment.Keys.Where(IsPlatformSetting).ToList())
            start.Environment.Remove(inherited);
        foreach (var (key, value) in _environment)
            start.Environment[key] = value;

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
    }

    public async Task StartAsync(TimeSpan? readyTimeout = null)
    {
        Launch();
        await WaitReadyAsync(readyTimeout ?? TimeSpan.FromSeconds(90));
    }

    public async Task<bool> IsReadyAsync()
    {
        try
        {
            using var response = await Probe.GetAsync(new Uri(BaseAddress, "health/ready"));
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (!IsRunning)
                throw new InvalidOperationException($"{Name} exited with code {_process?.ExitCode} before it was ready.\n{Tail()}");
            if (await IsReadyAsync())
                return;
            await Task.Delay(50);
        }

        throw new TimeoutException($"{Name} was not ready on {BaseAddress} after {timeout.TotalSeconds:0} s.\n{Tail()}");
    }

    /// <summary>Graceful stop: SIGTERM, as an orchestrator would send; SIGKILL only if it outlives the grace period.</summary>
    public async Task StopAsync(TimeSpan? grace = null)
    {
        if (_process is not { HasExited: false } process)
            return;
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            await kill.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(grace ?? TimeSpan.FromSeconds(15));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
        }
    }

    /// <summary>SIGKILL: a crash, with no chance to flush or say goodbye.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
    }

    public async Task RestartAsync(TimeSpan? readyTimeout = null)
    {
        await StopAsync();
        await StartAsync(readyTimeout);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(10));
        _process?.Dispose();
    }

    private static bool IsPlatformSetting(string key) =>
        key.StartsWith("ConnectionStrings__", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("Identity__", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("Orders__", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase);

    private void Keep(string? line)
    {
        if (line is not null)
            _output.Enqueue(line);
    }

    private string Tail() => string.Join('\n', _output.TakeLast(30));
}
