namespace Platform.Testing;

/// <summary>The container engine a test cluster runs on, the broker image, and what every node is given.</summary>
public sealed partial class PrivateRabbitMqCluster
{
    // The compose file's broker image (docker-compose.yml, RABBITMQ_IMAGE).
    private const string ComposeImage = "rabbitmq:4-management";

    // Every container and network of a test cluster carries it, so anything a killed test run left behind can be found.
    private const string ClusterLabel = "org.platform.test-rabbitmq-cluster";

    /// <summary>
    /// The broker image: PLATFORM_RABBITMQ_IMAGE (what './platform test' found or built), else RABBITMQ_IMAGE, else
    /// the one the last provisioning wrote to the state folder's compose-images.env, else the compose file's default.
    /// </summary>
    public static string Image =>
        Setting("PLATFORM_RABBITMQ_IMAGE") ?? Setting("RABBITMQ_IMAGE") ?? ProvisionedImage() ?? ComposeImage;

    // Debian's own client, as scripts/docker.sh uses; PLATFORM_DOCKER names another.
    private static string DockerClient => Setting("PLATFORM_DOCKER") ?? "/usr/bin/docker";

    private static Task<string> Docker(params string[] arguments) => ExternalProcess.RunAsync(DockerClient, arguments, timeoutSeconds: 120);

    private static Task<ProcessResult> TryDocker(params string[] arguments) =>
        ExternalProcess.RunForResultAsync(DockerClient, arguments, timeoutSeconds: 60);

    // One message that says what is missing and how to get it, rather than a failure deep inside the first docker call.
    private static async Task RequireEngineAndImageAsync(string image)
    {
        string? missing = null;
        if (!File.Exists(DockerClient))
            missing = $"there is no docker client at {DockerClient}";
        else if (await TryDocker("version", "--format", "{{.Server.Version}}") is { ExitCode: not 0 } engine)
            missing = $"no container engine answers ({FirstLine(engine.Error)})";
        else if (await TryDocker("image", "inspect", "--format", "{{.Id}}", image) is { ExitCode: not 0 })
            missing = $"the image {image} is not on this machine";
        if (missing is not null)
            throw new InvalidOperationException(
                $"The private RabbitMQ cluster runs as three containers of {image}, but {missing}. './platform test' starts " +
                "the engine and provides the image (the official one, else a local stand-in); PLATFORM_RABBITMQ_IMAGE names " +
                "another image, PLATFORM_DOCKER another client.");
    }

    // The compose broker refuses transient queues that are not exclusive (deploy/rabbitmq/conf.d/20-platform.conf),
    // and so does the cluster. A node given that setting in its configuration may fail to start while it joins a
    // cluster (RabbitMQ 4.0 looks for such queues before the joining node has its copy of the queue table), so the
    // cluster denies the feature once joined, which holds for every node and across restarts: that setting does the
    // same, by enabling this feature flag at start.
    private const string DeniedFeature = "transient_nonexcl_queues";

    // Every node gets the same Erlang cookie (the distribution admits only peers that share it) before its first start.
    private async Task CreateNodesAsync(string image)
    {
        var files = Directory.CreateTempSubdirectory("platform-rabbitmq-cluster-");
        try
        {
            var cookie = Path.Combine(files.FullName, ".erlang.cookie");
            await File.WriteAllTextAsync(cookie, Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20)));
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(cookie, UnixFileMode.UserRead);
            // The test reaches guest through the published port, which the engine forwards from its bridge, not from
            // loopback; the port itself is published on this machine's loopback interface only.
            var guest = Path.Combine(files.FullName, "30-test-cluster.conf");
            await File.WriteAllTextAsync(guest, "loopback_users = none\n");

            foreach (var node in _nodes)
                await node.CreateAsync(image, _network, cookie, guest);
        }
        finally
        {
            files.Delete(recursive: true);
        }
    }

    private static string? Setting(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;

    private static string? ProvisionedImage()
    {
        var stateDirectory = Setting("PLATFORM_STATE_DIR") ?? Path.Combine(TestInfrastructure.RepositoryRoot, ".platform");
        var file = Path.Combine(stateDirectory, "compose-images.env");
        return File.Exists(file)
            ? File.ReadLines(file).Where(l => l.StartsWith("RABBITMQ_IMAGE=", StringComparison.Ordinal)).Select(l => l["RABBITMQ_IMAGE=".Length..].Trim()).LastOrDefault(l => l.Length > 0)
            : null;
    }

    private static string FirstLine(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "no output";
}
