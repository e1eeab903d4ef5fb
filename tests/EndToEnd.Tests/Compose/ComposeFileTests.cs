using YamlDotNet.RepresentationModel;
using static Platform.EndToEnd.Tests.Compose.RepositoryFiles;

namespace Platform.EndToEnd.Tests.Compose;

public sealed class ComposeFileTests
{
    private static readonly string[] Services = ["postgres", "rabbitmq", "smtp4dev", "identity", "orders"];

    [Fact]
    public void Compose_defines_postgres_rabbitmq_the_mail_catcher_identity_and_orders()
    {
        var names = ComposeServices().Children.Keys.Select(k => k.ToString()).ToHashSet();
        Assert.Superset(Services.ToHashSet(), names);
    }

    [Fact]
    public void Every_service_has_a_healthcheck_with_a_test()
    {
        foreach (var (name, service) in ComposeServices().Children)
        {
            var test = service.Child("healthcheck").Child("test");
            Assert.True(test is YamlSequenceNode { Children.Count: > 1 } or YamlScalarNode { Value.Length: > 0 },
                $"service {name} has no healthcheck test");
        }
    }

    [Fact]
    public void Every_dependency_waits_until_the_service_it_needs_is_healthy()
    {
        var services = ComposeServices();
        var expected = new Dictionary<string, string[]>
        {
            ["identity"] = ["postgres", "rabbitmq", "smtp4dev"],
            ["orders"] = ["postgres", "rabbitmq", "identity"],
        };
        foreach (var (service, needs) in expected)
        {
            var dependsOn = Assert.IsType<YamlMappingNode>(services[service].Child("depends_on"));
            Assert.Equal(needs.Order(), dependsOn.Children.Keys.Select(k => k.ToString()).Order());
            foreach (var (dependency, condition) in dependsOn.Children)
                Assert.True(condition.Child("condition")?.ToString() == "service_healthy", $"{service} → {dependency} does not wait for service_healthy");
        }

        foreach (var (name, service) in services.Children)
        {
            if (service.Child("depends_on") is YamlSequenceNode)
                Assert.Fail($"{name} uses the short depends_on form, which only waits for the container to start");
        }
    }

    [Fact]
    public void Identity_is_published_on_loopback_5100_each_orders_replica_on_a_free_loopback_port_and_both_run_as_production()
    {
        var services = ComposeServices();
        Assert.Equal(new[] { "127.0.0.1:${IDENTITY_HTTP_PORT:-5100}:8080" }, Ports(services["identity"]));
        // No fixed host port, so `--scale orders=3` starts three replicas instead of failing on the second.
        Assert.Equal(new[] { "127.0.0.1::8080" }, Ports(services["orders"]));
        Assert.Null(services["orders"].Child("container_name"));
        Assert.Equal("Production", Environment(services["identity"])["ASPNETCORE_ENVIRONMENT"]);
        Assert.Equal("Production", Environment(services["orders"])["ASPNETCORE_ENVIRONMENT"]);
    }

    [Theory]
    [InlineData("postgres", "${POSTGRES_IMAGE:-postgres:17}")]
    [InlineData("rabbitmq", "${RABBITMQ_IMAGE:-rabbitmq:4-management}")]
    [InlineData("smtp4dev", "${SMTP4DEV_IMAGE:-rnwood/smtp4dev:v3}")]
    public void Each_server_image_is_a_variable_defaulting_to_the_official_image(string service, string image)
    {
        Assert.Equal(image, ComposeServices()[service].Child("image")?.ToString());
    }

    [Theory]
    [InlineData("identity")]
    [InlineData("orders")]
    public void The_services_are_built_on_the_dotnet_images_the_variables_name_defaulting_to_the_official_ones(string service)
    {
        var args = Assert.IsType<YamlMappingNode>(ComposeServices()[service].Child("build").Child("args"));
        Assert.Equal("${DOTNET_SDK_IMAGE:-mcr.microsoft.com/dotnet/sdk:10.0}", args.Child("DOTNET_SDK_IMAGE")?.ToString());
        Assert.Equal("${DOTNET_ASPNET_IMAGE:-mcr.microsoft.com/dotnet/aspnet:10.0}", args.Child("DOTNET_ASPNET_IMAGE")?.ToString());
    }

    [Fact]
    public void The_broker_runs_with_transient_non_exclusive_queues_refused()
    {
        var mounts = ((YamlSequenceNode)ComposeServices()["rabbitmq"].Child("volumes")!).Children.Select(v => v.ToString().Split(':'));
        var conf = Assert.Single(mounts, m => m[1].StartsWith("/etc/rabbitmq/conf.d/", StringComparison.Ordinal));
        Assert.Matches(@"(?m)^deprecated_features\.permit\.transient_nonexcl_queues = false$", Read(conf[0]));
    }

    [Fact]
    public void Identity_sends_reset_mail_to_the_stacks_mail_catcher_whose_web_ui_is_on_loopback_5300()
    {
        var services = ComposeServices();
        var identity = Environment(services["identity"]);
        Assert.Equal("smtp4dev", identity["Identity__Mail__Host"]);
        Assert.Equal("25", identity["Identity__Mail__Port"]);
        Assert.Equal("None", identity["Identity__Mail__Security"]);
        Assert.NotEmpty(identity["Identity__Mail__From"]);
        Assert.DoesNotContain("Identity__Mail__Enabled", identity.Keys);
        Assert.Equal(new[] { "127.0.0.1:${MAIL_HTTP_PORT:-5300}:80" }, Ports(services["smtp4dev"]));
    }

    [Fact]
    public void Every_secret_missing_from_the_env_file_stops_compose_with_its_name()
    {
        var compose = Read("docker-compose.yml");
        foreach (var (name, secret) in (YamlMappingNode)ComposeDocument()["secrets"])
        {
            var variable = secret.Child("environment")!.ToString();
            Assert.True(compose.Contains($"${{{variable}:?set {variable} in .env}}", StringComparison.Ordinal),
                $"secret {name}: compose does not require {variable}");
        }
    }

    [Fact]
    public void Identity_gets_its_key_encryption_key_from_a_compose_secret_file()
    {
        var compose = ComposeDocument();
        var identity = ComposeServices()["identity"];
        var file = Environment(identity)["Identity__KeyEncryptionKeyFile"];
        var secret = Path.GetFileName(file);
        Assert.StartsWith("/run/secrets/", file, StringComparison.Ordinal);
        Assert.Contains(secret, ((YamlSequenceNode)identity.Child("secrets")!).Children.Select(s => s.ToString()));
        Assert.NotNull(compose["secrets"].Child(secret));
        Assert.DoesNotContain("Identity__KeyEncryptionKey", Environment(identity).Keys);
    }

    [Fact]
    public void Orders_http_metadata_switch_in_compose_is_an_option_the_resource_server_reads()
    {
        Assert.Equal("false", Environment(ComposeServices()["orders"])["Orders__RequireHttpsMetadata"]);
        var sources = Directory.EnumerateFiles(PathOf("ResourceServer"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/obj/", StringComparison.Ordinal));
        Assert.Contains(sources, f => File.ReadAllText(f).Contains("RequireHttpsMetadata { get; set; }", StringComparison.Ordinal));
    }

    private static IEnumerable<string> Ports(YamlNode service) =>
        ((YamlSequenceNode)service.Child("ports")!).Children.Select(p => p.ToString());
}
