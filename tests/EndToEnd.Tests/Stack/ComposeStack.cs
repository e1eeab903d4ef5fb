using System.Globalization;

namespace Platform.EndToEnd.Tests.Stack;

/// <summary>
/// The containers of a running docker compose stack, driven through the docker client the way an operator would:
/// kill, stop, start and restart, health as docker reports it, and the host address each replica publishes.
/// Compose names a container <c>&lt;project&gt;-&lt;service&gt;-&lt;replica&gt;</c>.
/// </summary>
public sealed class ComposeStack(string docker, string project)
{
    /// <summary>Set by <c>./platform compose test</c>: the stack's compose project, and the docker client to use.</summary>
    public static ComposeStack? FromEnvironment()
    {
        var project = Environment.GetEnvironmentVariable("PLATFORM_COMPOSE_PROJECT");
        if (string.IsNullOrEmpty(project))
            return null;
        var docker = Environment.GetEnvironmentVariable("PLATFORM_DOCKER");
        return new ComposeStack(string.IsNullOrEmpty(docker) ? "/usr/bin/docker" : docker, project);
    }

    public string Container(string service, int replica = 1) => $"{project}-{service}-{replica}";

    public Task KillAsync(string container) => DockerAsync("kill", container);

    public Task StopAsync(string container) => DockerAsync("stop", container);

    public Task StartAsync(string container) => DockerAsync("start", container);

    public Task RestartAsync(string container) => DockerAsync("restart", container);

    /// <summary>Waits until docker reports the container's health check as passing.</summary>
    public Task WaitHealthyAsync(string container, TimeSpan timeout) =>
        Eventually.HoldsAsync(async () => (await DockerAsync("inspect", "-f", "{{.State.Health.Status}}", container)).Trim() == "healthy",
            $"{container} to be healthy", timeout, TimeSpan.FromMilliseconds(500));

    /// <summary>Waits until every container of the project is running and healthy, so the next scenario finds the whole stack.</summary>
    public async Task WaitAllHealthyAsync(TimeSpan timeout)
    {
        var containers = (await DockerAsync("ps", "-a", "--filter", $"label=com.docker.compose.project={project}", "--format", "{{.Names}}"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var container in containers)
            await WaitHealthyAsync(container, timeout);
    }

    /// <summary>
    /// Where the container's port is published on the host now; docker picks a new host port each time a container
    /// without a fixed one starts, so ask again after a restart.
    /// </summary>
    public async Task<Uri> PublishedUrlAsync(string container, int port = 8080)
    {
        var address = (await DockerAsync("port", container, $"{port}/tcp")).Split('\n', StringSplitOptions.RemoveEmptyEntries)[0].Trim();
        return new Uri($"http://{address}/");
    }

    /// <summary><c>./platform compose down</c>, as an operator runs it; with <paramref name="deleteData"/>, <c>down -v</c>.</summary>
    public Task DownAsync(bool deleteData = false) =>
        PlatformAsync(deleteData ? ["compose", "down", "-v"] : ["compose", "down"], replicas: null);

    /// <summary><c>./platform compose up</c> with the given number of Orders replicas; returns once the stack is healthy.</summary>
    public Task UpAsync(int replicas) => PlatformAsync(["compose", "up"], replicas);

    // The same command and environment that started the stack (project, images, ports, limits), so it comes back as it was.
    private Task<string> PlatformAsync(string[] arguments, int? replicas)
    {
        var environment = new Dictionary<string, string> { ["PLATFORM_COMPOSE_PROJECT"] = project, ["PLATFORM_DOCKER"] = docker };
        if (replicas is not null)
            environment["PLATFORM_ORDERS_REPLICAS"] = replicas.Value.ToString(CultureInfo.InvariantCulture);
        return ExternalProcess.RunAsync("bash", [Path.Combine(TestInfrastructure.RepositoryRoot, "platform"), .. arguments], environment, timeoutSeconds: 600);
    }

    private Task<string> DockerAsync(params string[] arguments) => ExternalProcess.RunAsync(docker, arguments, timeoutSeconds: 180);
}
