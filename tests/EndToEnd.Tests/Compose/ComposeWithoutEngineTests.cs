using static Platform.EndToEnd.Tests.Compose.RepositoryFiles;

namespace Platform.EndToEnd.Tests.Compose;

/// <summary>
/// Where no container engine can be had, <c>./platform compose</c> says so in one line and fails, quickly, so
/// <c>./platform test</c> reports it beside the results of every other suite instead of hanging or burying it.
/// </summary>
public sealed class ComposeWithoutEngineTests
{
    [Theory]
    [InlineData("up")]
    [InlineData("test")]
    [InlineData("down")]
    public async Task Compose_without_an_engine_fails_with_one_line_that_says_so(string command)
    {
        var result = await ExternalProcess.RunForResultAsync("bash", [PathOf("platform"), "compose", command], new Dictionary<string, string>
        {
            ["PLATFORM_DOCKER"] = "/nonexistent/docker",
            ["PLATFORM_DOCKER_INSTALL"] = "0",
            ["PLATFORM_COMPOSE_PROJECT"] = "platform-no-engine",
        }, timeoutSeconds: 60);

        Assert.NotEqual(0, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("platform: error: no container engine", line, StringComparison.Ordinal);
    }
}
