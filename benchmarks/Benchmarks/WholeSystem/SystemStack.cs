using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Platform.Testing;

namespace Platform.Benchmarks.WholeSystem;

/// <summary>
/// Identity and Orders as real Release processes on free loopback ports, each with its own database, sharing one
/// fresh virtual host; everything is stopped and dropped on dispose. Variable names are those of scripts/services.sh.
/// </summary>
public sealed class SystemStack : IAsyncDisposable
{
    private readonly List<Process> _processes = [];
    private readonly List<IAsyncDisposable> _owned = [];
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("platform-bench-").FullName;

    public Uri Identity { get; private set; } = null!;

    public Uri Orders { get; private set; } = null!;

    public TestVirtualHost VirtualHost { get; private set; } = null!;

    public string AdminEmail { get; } = "bench-admin@platform.local";

    /// <summary>Generated per run and handed to Identity through its environment only; never printed.</summary>
    public string AdminPassword { get; } = "bench-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    public static async Task<SystemStack> StartAsync()
    {
        var stack = new SystemStack();
        try
        {
            await stack.StartCoreAsync();
            return stack;
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    private async Task StartCoreAsync()
    {
        var identityDb = await TestDatabase.CreateAsync("bench_identity");
        _owned.Add(identityDb);
        var ordersDb = await TestDatabase.CreateAsync("bench_orders");
        _owned.Add(ordersDb);
        VirtualHost = await TestVirtualHost.CreateAsync("bench");
        _owned.Add(VirtualHost);
        Identity = new Uri($"http://127.0.0.1:{FreePort()}");
        Orders = new Uri($"http://127.0.0.1:{FreePort()}");
        var common = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ConnectionStrings__RabbitMq"] = VirtualHost.AmqpUri.ToString(),
            // Request logging at Information would measure the console, not the service.
            ["Logging__LogLevel__Default"] = "Warning",
        };
        Start("Identity", Identity, new(common)
        {
            ["ConnectionStrings__Identity"] = identityDb.ConnectionString,
            ["Identity__Issuer"] = Identity.ToString().TrimEnd('/'),
            ["Identity__KeyEncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Identity__DataDirectory"] = _dataDirectory,
            ["Identity__BootstrapAdmin__Email"] = AdminEmail,
            ["Identity__BootstrapAdmin__Password"] = AdminPassword,
        });
        await WaitReadyAsync(Identity, "Identity");
        Start("Orders", Orders, new(common)
        {
            ["ConnectionStrings__Orders"] = ordersDb.ConnectionString,
            ["Orders__Authority"] = Identity.ToString().TrimEnd('/'),
            ["Orders__Audience"] = "orders",
        });
        await WaitReadyAsync(Orders, "Orders");
    }

    private void Start(string name, Uri url, Dictionary<string, string> environment)
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

    private static async Task WaitReadyAsync(Uri baseUrl, string name)
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

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
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

        foreach (var owned in Enumerable.Reverse(_owned))
            await owned.DisposeAsync();
        Directory.Delete(_dataDirectory, recursive: true);
    }
}
