using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Platform.Identity.Data;

namespace Platform.Benchmarks.WholeSystem;

/// <summary>
/// One Identity and several Orders replicas as real Release processes on free loopback ports: the Orders instances
/// share one database and the virtual host, as replicas of one service do, and each has a queue of its own. Users are
/// written straight into Identity's table with one real password hash, so ten thousand cost a COPY rather than ten
/// thousand PBKDF2 runs. Everything is stopped and dropped on dispose.
/// </summary>
public sealed class BulkDeactivationStack : IAsyncDisposable
{
    /// <summary>Every seeded user's password; the hash is computed once, with Identity's production iteration count.</summary>
    public const string UserPassword = "bench bulk deactivation passphrase";

    private readonly List<Process> _processes = [];
    private readonly List<IAsyncDisposable> _owned = [];
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("platform-bench-bulk-").FullName;

    public Uri Identity { get; private set; } = null!;

    public List<Uri> Orders { get; } = [];

    public TestDatabase IdentityDatabase { get; private set; } = null!;

    public TestVirtualHost VirtualHost { get; private set; } = null!;

    public string AdminEmail { get; } = "bench-admin@platform.local";

    /// <summary>Generated per run and handed to Identity through its environment only; never printed.</summary>
    public string AdminPassword { get; } = "bench-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    public static async Task<BulkDeactivationStack> StartAsync(int ordersInstances)
    {
        var stack = new BulkDeactivationStack();
        try
        {
            await stack.StartCoreAsync(ordersInstances);
            return stack;
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    private async Task StartCoreAsync(int ordersInstances)
    {
        IdentityDatabase = await TestDatabase.CreateAsync("bench_bulk_identity");
        _owned.Add(IdentityDatabase);
        var ordersDb = await TestDatabase.CreateAsync("bench_bulk_orders");
        _owned.Add(ordersDb);
        VirtualHost = await TestVirtualHost.CreateAsync("bench-bulk");
        _owned.Add(VirtualHost);
        var common = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ConnectionStrings__RabbitMq"] = VirtualHost.AmqpUri.ToString(),
            ["Logging__LogLevel__Default"] = "Warning",
        };
        Identity = new Uri($"http://127.0.0.1:{FreePort()}");
        Start("Identity", Identity, new(common)
        {
            ["ConnectionStrings__Identity"] = IdentityDatabase.ConnectionString,
            ["Identity__Issuer"] = Identity.ToString().TrimEnd('/'),
            ["Identity__KeyEncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Identity__DataDirectory"] = _dataDirectory,
            ["Identity__BootstrapAdmin__Email"] = AdminEmail,
            ["Identity__BootstrapAdmin__Password"] = AdminPassword,
            ["Identity__RateLimit__PasswordPermitLimit"] = "100000",
        });
        await WaitReadyAsync(Identity, "Identity");
        var orders = new Dictionary<string, string>(common)
        {
            ["ConnectionStrings__Orders"] = ordersDb.ConnectionString,
            ["Orders__Authority"] = Identity.ToString().TrimEnd('/'),
            ["Orders__Audience"] = "orders",
        };
        // The first one migrates the shared database; the others start together once it has.
        for (var i = 0; i < ordersInstances; i++)
        {
            var url = new Uri($"http://127.0.0.1:{FreePort()}");
            Orders.Add(url);
            Start("Orders", url, orders);
            if (i == 0)
                await WaitReadyAsync(url, "Orders 1");
        }

        await Task.WhenAll(Orders.Skip(1).Select((url, i) => WaitReadyAsync(url, $"Orders {i + 2}")));
    }

    /// <summary>Writes <paramref name="count"/> active users with one COPY and returns their ids in insertion order.</summary>
    public async Task<(Guid Id, string Email)[]> SeedUsersAsync(int count, string prefix)
    {
        var hasher = new PasswordHasher<User>(Options.Create(new PasswordHasherOptions { IterationCount = 600_000 }));
        var hash = hasher.HashPassword(new User(), UserPassword);
        var users = Enumerable.Range(0, count).Select(i => (Id: Guid.CreateVersion7(), Email: $"{prefix}-{i}@bench.example")).ToArray();
        await using var connection = new NpgsqlConnection(IdentityDatabase.ConnectionString);
        await connection.OpenAsync();
        await using (var writer = await connection.BeginBinaryImportAsync("""
            COPY "AspNetUsers" ("Id", "UserName", "NormalizedUserName", "Email", "NormalizedEmail", "EmailConfirmed", "PasswordHash",
                "SecurityStamp", "ConcurrencyStamp", "PhoneNumberConfirmed", "TwoFactorEnabled", "LockoutEnabled", "AccessFailedCount",
                "CreatedAt", "IsActive") FROM STDIN (FORMAT BINARY)
            """))
        {
            var now = DateTimeOffset.UtcNow;
            foreach (var (id, email) in users)
            {
                await writer.StartRowAsync();
                await writer.WriteAsync(id, NpgsqlDbType.Uuid);
                await writer.WriteAsync(email, NpgsqlDbType.Varchar);
                await writer.WriteAsync(email.ToUpperInvariant(), NpgsqlDbType.Varchar);
                await writer.WriteAsync(email, NpgsqlDbType.Varchar);
                await writer.WriteAsync(email.ToUpperInvariant(), NpgsqlDbType.Varchar);
                await writer.WriteAsync(true, NpgsqlDbType.Boolean);
                await writer.WriteAsync(hash, NpgsqlDbType.Text);
                await writer.WriteAsync(Convert.ToHexString(RandomNumberGenerator.GetBytes(16)), NpgsqlDbType.Text);
                await writer.WriteAsync(Guid.NewGuid().ToString(), NpgsqlDbType.Text);
                await writer.WriteAsync(false, NpgsqlDbType.Boolean);
                await writer.WriteAsync(false, NpgsqlDbType.Boolean);
                await writer.WriteAsync(true, NpgsqlDbType.Boolean);
                await writer.WriteAsync(0, NpgsqlDbType.Integer);
                await writer.WriteAsync(now, NpgsqlDbType.TimestampTz);
                await writer.WriteAsync(true, NpgsqlDbType.Boolean);
            }

            await writer.CompleteAsync();
        }

        return users;
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
