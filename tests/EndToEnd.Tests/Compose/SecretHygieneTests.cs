using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;
using static Platform.EndToEnd.Tests.Compose.RepositoryFiles;

namespace Platform.EndToEnd.Tests.Compose;

/// <summary>Nothing secret is committed: every secret value in compose is interpolated from the git-ignored .env.</summary>
public sealed partial class SecretHygieneTests
{
    [Fact]
    public void No_secret_setting_in_compose_holds_a_literal_value()
    {
        foreach (var (service, node) in ComposeServices().Children)
        {
            foreach (var (name, value) in Environment(node))
            {
                if (SecretName().IsMatch(name) && !name.EndsWith("_FILE", StringComparison.Ordinal) && !name.EndsWith("File", StringComparison.Ordinal))
                    Assert.True(IsInterpolated(value), $"{service}: {name} is written in the file instead of coming from .env");
                foreach (Match password in EmbeddedPassword().Matches(value))
                    Assert.True(IsInterpolated(password.Groups["value"].Value), $"{service}: {name} embeds a literal password");
            }
        }
    }

    [Fact]
    public void Every_compose_secret_comes_from_the_environment_not_a_committed_file()
    {
        var secrets = (YamlMappingNode)ComposeDocument()["secrets"];
        Assert.NotEmpty(secrets.Children);
        foreach (var (name, secret) in secrets.Children)
            Assert.True(secret.Child("environment") is YamlScalarNode { Value.Length: > 0 }, $"secret {name} is not read from the environment");
    }

    [Theory]
    [InlineData("Identity/Dockerfile")]
    [InlineData("Orders/Dockerfile")]
    public void Dockerfiles_set_no_secret(string dockerfile)
    {
        foreach (var line in Read(dockerfile).Split('\n').Where(l => Regex.IsMatch(l, @"^\s*(ENV|ARG)\s")))
            Assert.False(SecretName().IsMatch(line), $"{dockerfile} sets a secret-looking value: {line.Trim()}");
    }

    [Fact]
    public void The_env_example_holds_only_placeholders_and_the_real_env_is_ignored_by_git()
    {
        foreach (var line in Read(".env.example").Split('\n').Where(l => l.Contains('=', StringComparison.Ordinal) && !l.TrimStart().StartsWith('#')))
        {
            var (name, value) = (line.Split('=', 2)[0], line.Split('=', 2)[1].Trim());
            if (SecretName().IsMatch(name))
                Assert.Equal("change-me", value);
        }

        var ignored = Process.Start(new ProcessStartInfo("git", ["check-ignore", "-q", ".env"]) { WorkingDirectory = PathOf(".") })!;
        ignored.WaitForExit();
        Assert.True(ignored.ExitCode == 0, ".env is not ignored by git");
        Assert.Contains(".env", Read(".dockerignore").Split('\n').Select(l => l.Trim()));
    }

    private static bool IsInterpolated(string value) => value.StartsWith("${", StringComparison.Ordinal);

    [GeneratedRegex("PASSWORD|SECRET|TOKEN|KEY", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();

    /// <summary>Password=… in a connection string, or the password part of user:password@host in a URI.</summary>
    [GeneratedRegex(@"Password=(?<value>[^;]*)|://[^:/@\s]+:(?<value>[^@]*)@", RegexOptions.IgnoreCase)]
    private static partial Regex EmbeddedPassword();
}
