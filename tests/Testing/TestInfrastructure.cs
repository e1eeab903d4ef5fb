namespace Platform.Testing;

/// <summary>
/// Where the real PostgreSQL, RabbitMQ and mail catcher that './platform test' started are. Settings come from the
/// environment, or from the state folder's test.env when tests run from an IDE after './platform infra'.
/// </summary>
public static class TestInfrastructure
{
    private static readonly Lazy<IReadOnlyDictionary<string, string>> Settings = new(Load);

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>A superuser connection string without a database name.</summary>
    public static string PostgresAdmin => Get("PLATFORM_TEST_POSTGRES");

    /// <summary>An administrator's AMQP URI on the platform's virtual host.</summary>
    public static Uri RabbitMq => new(Get("PLATFORM_TEST_RABBITMQ"));

    /// <summary>The management API's base address, with an administrator's credentials in it.</summary>
    public static Uri RabbitMqManagement => new(Get("PLATFORM_TEST_RABBITMQ_MANAGEMENT"));

    /// <summary>The mail catcher's SMTP endpoint, <c>host:port</c>.</summary>
    public static (string Host, int Port) Smtp
    {
        get
        {
            var endpoint = Get("PLATFORM_TEST_SMTP");
            var separator = endpoint.LastIndexOf(':');
            return (endpoint[..separator], int.Parse(endpoint[(separator + 1)..], System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    /// <summary>The mail catcher's HTTP API, where tests read the mail that was sent.</summary>
    public static Uri MailApi => new(Get("PLATFORM_TEST_MAIL_API"));

    private static string Get(string name) =>
        Settings.Value.TryGetValue(name, out var value) && value.Length > 0
            ? value
            : throw new InvalidOperationException(
                $"{name} is not set. Run the tests with './platform test', or start the infrastructure with './platform infra' first.");

    private static Dictionary<string, string> Load()
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        var file = Path.Combine(Environment.GetEnvironmentVariable("PLATFORM_STATE_DIR") ?? Path.Combine(RepositoryRoot, ".platform"), "test.env");
        if (File.Exists(file))
        {
            foreach (var line in File.ReadAllLines(file))
            {
                var separator = line.IndexOf('=', StringComparison.Ordinal);
                if (separator > 0)
                    settings[line[..separator]] = line[(separator + 1)..].Trim('\'');
            }
        }

        foreach (var name in new[] { "PLATFORM_TEST_POSTGRES", "PLATFORM_TEST_RABBITMQ", "PLATFORM_TEST_RABBITMQ_MANAGEMENT", "PLATFORM_TEST_SMTP", "PLATFORM_TEST_MAIL_API" })
        {
            if (Environment.GetEnvironmentVariable(name) is { Length: > 0 } value)
                settings[name] = value;
        }

        return settings;
    }

    private static string FindRepositoryRoot()
    {
        if (Environment.GetEnvironmentVariable("PLATFORM_REPO_ROOT") is { Length: > 0 } root)
            return root;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Platform.sln")))
                return dir.FullName;
        }

        throw new InvalidOperationException("Platform.sln not found above " + AppContext.BaseDirectory);
    }
}
