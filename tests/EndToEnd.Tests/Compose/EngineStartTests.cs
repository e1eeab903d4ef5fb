using static Platform.EndToEnd.Tests.Compose.RepositoryFiles;

namespace Platform.EndToEnd.Tests.Compose;

/// <summary>
/// The test run starts dockerd when it is not running, and dockerd outlives the run. Whoever reads the run's output
/// (CI, a command substitution) waits for every process holding that pipe, so the daemon must be started holding
/// none of the shell's descriptors; otherwise the run never seems to end. A stand-in daemon that sleeps shows it.
/// </summary>
public sealed class EngineStartTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("platform-engine-").FullName;

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_dockerd_started_inside_a_command_substitution_does_not_hold_its_output_open()
    {
        var bin = Directory.CreateDirectory(Path.Combine(_folder, "bin")).FullName;
        var mark = Path.Combine(_folder, "dockerd-running");
        Script(Path.Combine(bin, "dockerd"), $"touch '{mark}'\nexec sleep 300");
        Script(Path.Combine(bin, "docker"), $"case \"$1\" in info) [ -e '{mark}' ] ;; compose) exit 0 ;; *) exit 1 ;; esac");

        var result = await ExternalProcess.RunForResultAsync("bash", ["-c", """
            set -euo pipefail
            source "$ROOT/scripts/lib.sh"
            source "$ROOT/scripts/docker.sh"
            mkdir -p "$PLATFORM_STATE_DIR"
            started="$( { docker_ensure; } 2>"$PLATFORM_STATE_DIR/engine.log" >&2 && echo started)"
            echo "$started"
            """], new Dictionary<string, string>
        {
            ["ROOT"] = PathOf("."),
            ["PATH"] = $"{bin}:{System.Environment.GetEnvironmentVariable("PATH")}",
            ["PLATFORM_STATE_DIR"] = Path.Combine(_folder, "state"),
            ["PLATFORM_DOCKER"] = Path.Combine(bin, "docker"),
            ["PLATFORM_DOCKER_LOCK"] = Path.Combine(_folder, "dockerd.lock"),
        }, timeoutSeconds: 30);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal("started", result.Output.Trim());
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void Script(string path, string body)
    {
        File.WriteAllText(path, "#!/usr/bin/env bash\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public void Dispose()
    {
        var pidFile = Path.Combine(_folder, "state", "docker", "dockerd.pid");
        if (File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile).Trim(), out var pid))
        {
            try { System.Diagnostics.Process.GetProcessById(pid).Kill(entireProcessTree: true); }
            catch (ArgumentException) { }
            catch (InvalidOperationException) { }
        }
        Directory.Delete(_folder, recursive: true);
    }
}
