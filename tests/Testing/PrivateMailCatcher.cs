using System.Diagnostics;
using System.Globalization;

namespace Platform.Testing;

/// <summary>
/// An smtp4dev of the test's own, on its own ports with an in-memory store, so a test can have the mail server
/// missing first and running later without disturbing the shared catcher. Run from the repository, whose tool
/// manifest pins smtp4dev ('dotnet tool restore').
/// </summary>
public sealed class PrivateMailCatcher : IAsyncDisposable
{
    private readonly string _directory;
    private Process? _process;

    private PrivateMailCatcher(int smtpPort, int apiPort)
    {
        SmtpPort = smtpPort;
        ApiPort = apiPort;
        _directory = Directory.CreateTempSubdirectory("platform-smtp4dev-").FullName;
    }

    public int SmtpPort { get; }

    public int ApiPort { get; }

    public Uri Api => new($"http://127.0.0.1:{ApiPort}/");

    /// <summary>Picks free ports without starting anything, so the SMTP port is closed until <see cref="StartAsync"/>.</summary>
    public static PrivateMailCatcher Reserve() => new(ExternalProcess.FreePort(), ExternalProcess.FreePort());

    public async Task StartAsync()
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = TestInfrastructure.RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     "smtp4dev", $"--baseappdatapath={_directory}", "--nousersettings", "--db=", "--bindaddress=127.0.0.1", "--disableipv6",
                     $"--smtpport={SmtpPort.ToString(CultureInfo.InvariantCulture)}", "--imapport=", "--pop3port=",
                     $"--urls=http://127.0.0.1:{ApiPort.ToString(CultureInfo.InvariantCulture)}",
                 })
            info.ArgumentList.Add(argument);
        _process = Process.Start(info) ?? throw new InvalidOperationException("smtp4dev did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        using var http = new HttpClient { BaseAddress = Api, Timeout = TimeSpan.FromSeconds(2) };
        await Eventually.HoldsAsync(async () =>
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"smtp4dev exited with {_process.ExitCode}");
            try
            {
                return (await http.GetAsync("api/messages")).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
            catch (TaskCanceledException)
            {
                return false;
            }
        }, "smtp4dev to answer", TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(200));
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by the dying process; the temp folder is cleaned by the OS later.
        }
    }
}
