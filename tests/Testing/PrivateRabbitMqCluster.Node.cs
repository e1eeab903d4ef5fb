using System.Globalization;

namespace Platform.Testing;

public sealed partial class PrivateRabbitMqCluster
{
    /// <summary>One node: a container whose host name is its container name, so its peers reach it by that name.</summary>
    private sealed class Node(string container, int port)
    {
        public string Name => $"rabbit@{container}";

        public int Port => port;

        public bool IsRunning { get; private set; }

        public bool Exists { get; private set; }

        public async Task CreateAsync(string image, string network, string cookie, string configuration)
        {
            await Docker("create", "--name", container, "--hostname", container, "--network", network, "--label", ClusterLabel,
                "--publish", $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}:5672", image);
            Exists = true;
            // Owned by root in the container; the image's entry point hands the data folder to the broker's user.
            await Docker("cp", cookie, $"{container}:/var/lib/rabbitmq/.erlang.cookie");
            await Docker("cp", configuration, $"{container}:/etc/rabbitmq/conf.d/");
        }

        public async Task StartAsync()
        {
            if (IsRunning)
                return;
            await Docker("start", container);
            IsRunning = true;
            // await_startup gives up at once while the node has not registered yet, so it is asked again until then.
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while (true)
            {
                var started = await TryDocker("exec", container, "rabbitmqctl", "-q", "await_startup", "--timeout", "60");
                if (started.ExitCode == 0)
                    return;
                if (DateTime.UtcNow > deadline || !await ContainerRunsAsync())
                    throw new TimeoutException($"{Name} did not start within 90 s: {started.Error}{started.Output}\n{await LogTailAsync()}");
                await Task.Delay(500);
            }
        }

        public async Task KillAsync()
        {
            if (!IsRunning)
                return;
            await Docker("kill", "--signal", "KILL", container);
            IsRunning = false;
            // Returns once the container has stopped: its port no longer answers.
            await Docker("wait", container);
        }

        public Task<string> CtlAsync(params string[] arguments) =>
            ExternalProcess.RunAsync(DockerClient, ["exec", container, "rabbitmqctl", "-q", .. arguments], timeoutSeconds: 60);

        /// <summary>The container with its data volume.</summary>
        public async Task RemoveAsync()
        {
            if (!Exists)
                return;
            try
            {
                await Docker("rm", "--force", "--volumes", container);
            }
            catch (Exception exception) when (exception is InvalidOperationException or TimeoutException)
            {
                // Already gone, or the engine is: nothing of ours left to remove.
            }

            Exists = IsRunning = false;
        }

        /// <summary>The node's address on the cluster's network; it may change when the node starts again.</summary>
        public async Task<string> AddressAsync(string network) =>
            (await Docker("inspect", "--format", $"{{{{(index .NetworkSettings.Networks \"{network}\").IPAddress}}}}", container)).Trim();

        private async Task<bool> ContainerRunsAsync() =>
            (await TryDocker("inspect", "--format", "{{.State.Running}}", container)).Output.Trim() == "true";

        private async Task<string> LogTailAsync()
        {
            var logs = await TryDocker("logs", "--tail", "30", container);
            return logs.Output + logs.Error;
        }
    }
}
