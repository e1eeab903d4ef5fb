using System.Text.RegularExpressions;
using System.Xml.Linq;
using static Platform.EndToEnd.Tests.Compose.RepositoryFiles;

namespace Platform.EndToEnd.Tests.Compose;

public sealed class DockerfileTests
{
    [Theory]
    [InlineData("Identity")]
    [InlineData("Orders")]
    public void Entrypoint_names_the_assembly_the_build_produces(string project)
    {
        var entrypoint = Instruction(project, "ENTRYPOINT");
        var command = JsonSerializer.Deserialize<string[]>(entrypoint)!;
        Assert.Equal("dotnet", command[0]);
        var built = PlatformStack.ServiceDll(project);
        Assert.True(File.Exists(built), $"{built} is missing: build {project} in {PlatformStack.BuildConfiguration} first");
        Assert.Equal(Path.GetFileName(built), command[1]);
    }

    [Theory]
    [InlineData("Identity")]
    [InlineData("Orders")]
    public void Build_stage_copies_every_project_the_service_depends_on(string project)
    {
        var dockerfile = Read($"{project}/Dockerfile");
        foreach (var dependency in ProjectClosure(project))
        {
            Assert.Contains($"COPY {dependency}/{dependency}.csproj {dependency}/", dockerfile, StringComparison.Ordinal);
            Assert.Contains($"COPY {dependency}/ {dependency}/", dockerfile, StringComparison.Ordinal);
        }

        Assert.Contains("COPY global.json Directory.Build.props Directory.Packages.props", dockerfile, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Identity")]
    [InlineData("Orders")]
    public void Runtime_stage_is_the_aspnet_image_as_a_non_root_user_with_a_readiness_healthcheck(string project)
    {
        var dockerfile = Read($"{project}/Dockerfile");
        // The base images are build arguments defaulting to the official ones, declared before the first stage.
        var beforeFirstStage = dockerfile[..dockerfile.IndexOf("FROM ", StringComparison.Ordinal)];
        Assert.Matches(@"(?m)^ARG DOTNET_SDK_IMAGE=mcr\.microsoft\.com/dotnet/sdk:10\.0$", beforeFirstStage);
        Assert.Matches(@"(?m)^ARG DOTNET_ASPNET_IMAGE=mcr\.microsoft\.com/dotnet/aspnet:10\.0$", beforeFirstStage);
        Assert.Contains("FROM ${DOTNET_SDK_IMAGE} AS build", dockerfile, StringComparison.Ordinal);
        var runtime = dockerfile[dockerfile.LastIndexOf("FROM ", StringComparison.Ordinal)..];
        Assert.StartsWith("FROM ${DOTNET_ASPNET_IMAGE} AS runtime", runtime, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^USER \$APP_UID$", runtime);
        Assert.Contains("/health/ready", Instruction(project, "HEALTHCHECK"), StringComparison.Ordinal);
        Assert.True(File.Exists(PathOf("deploy/http-health.sh")));
    }

    [Theory]
    [InlineData("Identity")]
    [InlineData("Orders")]
    public void Builds_with_the_daemons_own_frontend_so_no_frontend_image_is_pulled(string project)
    {
        Assert.DoesNotMatch(@"(?im)^#\s*syntax=", Read($"{project}/Dockerfile"));
    }

    private static string Instruction(string project, string keyword)
    {
        var match = Regex.Match(Read($"{project}/Dockerfile"), $@"(?m)^{keyword}\s+(.+)$");
        Assert.True(match.Success, $"{project}/Dockerfile has no {keyword}");
        return match.Groups[1].Value.Trim();
    }

    /// <summary>The project and every project it references, directly or not, by folder name.</summary>
    private static SortedSet<string> ProjectClosure(string project)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([project]);
        while (pending.TryPop(out var current))
        {
            if (!found.Add(current))
                continue;
            var csproj = XDocument.Load(PathOf($"{current}/{current}.csproj"));
            foreach (var reference in csproj.Descendants("ProjectReference"))
                pending.Push(Path.GetFileNameWithoutExtension(reference.Attribute("Include")!.Value.Replace('\\', '/')));
        }

        return found;
    }
}
