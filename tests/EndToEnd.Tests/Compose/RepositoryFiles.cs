using YamlDotNet.RepresentationModel;

namespace Platform.EndToEnd.Tests.Compose;

/// <summary>The deployment files under review, read from the repository the tests were built from.</summary>
public static class RepositoryFiles
{
    public static string PathOf(string relative) => Path.Combine(TestInfrastructure.RepositoryRoot, relative);

    public static string Read(string relative) => File.ReadAllText(PathOf(relative));

    public static YamlMappingNode ComposeServices() => (YamlMappingNode)ComposeDocument()["services"];

    public static YamlMappingNode ComposeDocument()
    {
        var yaml = new YamlStream();
        using var reader = new StringReader(Read("docker-compose.yml"));
        yaml.Load(reader);
        return (YamlMappingNode)yaml.Documents[0].RootNode;
    }

    public static YamlNode? Child(this YamlNode? node, string key) =>
        node is YamlMappingNode mapping && mapping.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

    /// <summary>A service's environment as name → value, whichever of the two compose forms it uses.</summary>
    public static IReadOnlyDictionary<string, string> Environment(YamlNode service) => service.Child("environment") switch
    {
        YamlMappingNode map => map.Children.ToDictionary(e => e.Key.ToString(), e => e.Value.ToString()),
        YamlSequenceNode list => list.Children.Select(e => e.ToString().Split('=', 2))
            .ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : ""),
        _ => new Dictionary<string, string>(),
    };
}
