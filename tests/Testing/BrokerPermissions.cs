namespace Platform.Testing;

/// <summary>
/// The RabbitMQ permissions the platform gives a service user, read from the same definition the compose and local
/// brokers apply (deploy/rabbitmq/permissions.sh), so a test of the grants tests what is deployed.
/// </summary>
public sealed record BrokerPermissions(string Configure, string Write, string Read)
{
    public static async Task<BrokerPermissions> ForAsync(string user)
    {
        var definition = Path.Combine(TestInfrastructure.RepositoryRoot, "deploy", "rabbitmq", "permissions.sh");
        var output = await ExternalProcess.RunAsync("bash", ["-c", ". \"$0\" && rabbitmq_permissions \"$1\"", definition, user]);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return lines.Length == 3
            ? new BrokerPermissions(lines[0], lines[1], lines[2])
            : throw new InvalidOperationException($"{definition} printed {lines.Length} lines for {user}, not configure, write and read.");
    }
}
