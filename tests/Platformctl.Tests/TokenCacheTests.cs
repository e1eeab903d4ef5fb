using System.Runtime.Versioning;

namespace Platform.Platformctl.Tests;

public sealed class TokenCacheTests
{
    private readonly SigningKey _key = new();

    private Tool LoggedInCli(FakeIdentity identity) =>
        new Tool(identity).With("PLATFORM_OPERATOR_EMAIL", "ops@identity.test").With("PLATFORM_OPERATOR_PASSWORD", "pass");

    private FakeIdentity Identity() => new FakeIdentity(_key)
        .Answer("POST /auth/login", HttpStatusCode.OK, """{"accessToken":"cached-token","tokenType":"Bearer","expiresIn":600,"refreshToken":"r"}""")
        .Answer("GET /admin/keys", HttpStatusCode.OK, "[]");

    [SkippableFact]
    [UnsupportedOSPlatform("windows")]
    public async Task The_cache_file_is_readable_and_writable_by_its_owner_only_and_holds_no_password()
    {
        Skip.If(OperatingSystem.IsWindows(), "Unix permissions");
        var cli = LoggedInCli(Identity());

        await cli.RunAsync("login --identity-url http://identity.test");

        var file = Path.Combine(cli.ConfigDirectory, "token.json");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        var content = await File.ReadAllTextAsync(file);
        Assert.DoesNotContain("pass", content.Replace("\"password\"", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("refresh", content, StringComparison.Ordinal);
    }

    [SkippableFact]
    [UnsupportedOSPlatform("windows")]
    public async Task A_cache_file_others_can_read_is_ignored()
    {
        Skip.If(OperatingSystem.IsWindows(), "Unix permissions");
        var identity = Identity();
        var cli = LoggedInCli(identity);
        await cli.RunAsync("login --identity-url http://identity.test");
        File.SetUnixFileMode(Path.Combine(cli.ConfigDirectory, "token.json"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        await cli.RunAsync("keys list --identity-url http://identity.test");

        Assert.Equal(2, identity.Requests.Count(r => r.Request == "POST /auth/login"));
    }

    [Fact]
    public async Task A_token_cached_without_identitys_audience_is_not_reused_and_a_fresh_login_asks_for_it()
    {
        var identity = Identity();
        var cli = LoggedInCli(identity);
        await cli.RunAsync("login --identity-url http://identity.test");
        var file = Path.Combine(cli.ConfigDirectory, "token.json");
        // As a cache written before tokens were issued per resource: no resource recorded.
        var old = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(file))!.AsObject();
        old.Remove("Resource");
        await File.WriteAllTextAsync(file, old.ToJsonString());

        var result = await cli.RunAsync("keys list --identity-url http://identity.test");

        result.ExitsWith(ExitCodes.Success);
        var logins = identity.Requests.Where(r => r.Request == "POST /auth/login").ToList();
        Assert.Equal(2, logins.Count);
        Assert.All(logins, login => Assert.Contains("\"resource\":\"identity\"", login.Body, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_token_cached_for_one_identity_is_not_sent_to_another()
    {
        var identity = Identity();
        var cli = LoggedInCli(identity);
        await cli.RunAsync("login --identity-url http://identity.test");
        cli.With("PLATFORM_OPERATOR_PASSWORD", null);

        var result = await cli.RunAsync("keys list --identity-url http://other.test");

        Assert.NotEqual(0, result.ExitCode);
        Assert.DoesNotContain(identity.Requests, r => r.Request == "GET /admin/keys");
    }

    [Fact]
    public async Task No_cache_keeps_the_token_in_memory_only()
    {
        var cli = LoggedInCli(Identity());

        var result = await cli.RunAsync("login --no-cache --identity-url http://identity.test");

        result.ExitsWith(0);
        Assert.False(File.Exists(Path.Combine(cli.ConfigDirectory, "token.json")));
    }
}
