using YamlDotNet.RepresentationModel;
using static Platform.EndToEnd.Tests.Compose.RepositoryFiles;

namespace Platform.EndToEnd.Tests.Compose;

public sealed class ComposeFileTests
{
    private static readonly string[] Services = ["postgres", "rabbitmq", "identity", "orders"];

    [Fact]
    public void Compose_defines_postgres_rabbitmq_identity_and_orders()
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
            ["identity"] = ["postgres", "rabbitmq"],
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
    public void Identity_and_orders_are_published_on_5100_and_5200_and_run_as_production()
    {
        var services = ComposeServices();
        Assert.Contains("5100:8080", Ports(services["identity"]));
        Assert.Contains("5200:8080", Ports(services["orders"]));
        Assert.Equal("Production", Environment(services["identity"])["ASPNETCORE_ENVIRONMENT"]);
        Assert.Equal("Production", Environment(services["orders"])["ASPNETCORE_ENVIRONMENT"]);
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
