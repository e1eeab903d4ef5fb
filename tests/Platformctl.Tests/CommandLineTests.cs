namespace Platform.Platformctl.Tests;

/// <summary>Parsing, configuration and error mapping, against a stand-in Identity.</summary>
public sealed class CommandLineTests
{
    private const string Url = "--identity-url http://identity.test";
    private static readonly Guid UserId = Guid.Parse("5d1f3c1e-7d0b-4a53-9c59-0d6f2a3b4c5d");
    private readonly SigningKey _key = new();

    private (Tool Cli, FakeIdentity Identity) WithOperator()
    {
        var identity = new FakeIdentity(_key)
            .Answer("POST /auth/login", HttpStatusCode.OK, """{"accessToken":"operator-token-value","tokenType":"Bearer","expiresIn":600,"refreshToken":"refresh-value"}""");
        var cli = new Tool(identity).With("PLATFORM_OPERATOR_EMAIL", "ops@identity.test").With("PLATFORM_OPERATOR_PASSWORD", "secret passphrase");
        return (cli, identity);
    }

    [Fact]
    public async Task Help_documents_every_exit_code()
    {
        var result = await new Tool().RunAsync("--help");

        result.ExitsWith(0);
        foreach (var code in new[] { "401", "403", "404", "10 ", "11 ", "12 " })
            Assert.Contains(code, result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_password_option_on_the_command_line_is_rejected()
    {
        var (cli, identity) = WithOperator();

        var result = await cli.RunAsync($"login {Url} --email ops@identity.test --password secret");

        Assert.NotEqual(0, result.ExitCode);
        Assert.DoesNotContain(identity.Requests, r => r.Request == "POST /auth/login");
    }

    [Fact]
    public async Task Without_an_identity_url_the_tool_exits_with_the_configuration_code()
    {
        var result = await new Tool().RunAsync("users list");

        result.ExitsWith(ExitCodes.MissingConfiguration);
        Assert.Contains("PLATFORM_IDENTITY_URL", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_identity_url_comes_from_the_environment_when_no_option_is_given()
    {
        var (cli, identity) = WithOperator();
        identity.Answer("GET /admin/keys", HttpStatusCode.OK, """[{"kid":"k1","status":"active"}]""");

        var result = await cli.With("PLATFORM_IDENTITY_URL", "http://identity.test").RunAsync("keys list");

        result.ExitsWith(0);
        Assert.Contains("k1", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_reads_the_password_from_standard_input_and_never_prints_the_token()
    {
        var (cli, identity) = WithOperator();
        cli.With("PLATFORM_OPERATOR_PASSWORD", null);

        var result = await cli.RunAsync($"login {Url} --password-stdin", stdin: "piped passphrase\n");

        result.ExitsWith(0);
        var login = identity.Requests.Single(r => r.Request == "POST /auth/login").Body;
        Assert.Contains("\"password\":\"piped passphrase\"", login, StringComparison.Ordinal);
        // The operator API takes only tokens for Identity's own audience (RFC 8707 resource indicator).
        Assert.Contains("\"resource\":\"identity\"", login, StringComparison.Ordinal);
        Assert.DoesNotContain("operator-token-value", result.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cached_login_is_reused_by_later_commands_without_the_password()
    {
        var (cli, identity) = WithOperator();
        identity.Answer("GET /admin/keys", HttpStatusCode.OK, "[]");
        await cli.RunAsync($"login {Url}");
        cli.With("PLATFORM_OPERATOR_PASSWORD", null);

        var result = await cli.RunAsync($"keys list {Url}");

        result.ExitsWith(0);
        Assert.Equal("Bearer operator-token-value", identity.Requests.Single(r => r.Request == "GET /admin/keys").Authorization);
        Assert.Single(identity.Requests, r => r.Request == "POST /auth/login");
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized, ExitCodes.Unauthorized)]
    [InlineData(HttpStatusCode.Forbidden, ExitCodes.Forbidden)]
    [InlineData(HttpStatusCode.NotFound, ExitCodes.NotFound)]
    [InlineData(HttpStatusCode.Conflict, ExitCodes.Rejected)]
    public async Task A_failed_request_exits_with_its_status_code_and_prints_the_problem_title_and_detail(HttpStatusCode status, int exitCode)
    {
        var (cli, identity) = WithOperator();
        identity.Answer($"GET /admin/users/{UserId}", status, """{"title":"Problem title","detail":"what went wrong","status":0}""");

        var result = await cli.RunAsync($"users show {UserId} {Url} --no-cache");

        result.ExitsWith(exitCode);
        Assert.Contains("Problem title: what went wrong", result.Stderr, StringComparison.Ordinal);
        Assert.Single(result.Stderr.Trim().Split('\n'));
        Assert.DoesNotContain("operator-token-value", result.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_connection_exits_with_the_unreachable_code()
    {
        var cli = new Tool().With("PLATFORM_OPERATOR_EMAIL", "ops@identity.test").With("PLATFORM_OPERATOR_PASSWORD", "x");

        var result = await cli.RunAsync("login --identity-url http://127.0.0.1:1");

        result.ExitsWith(ExitCodes.Unreachable);
        Assert.Contains("cannot reach Identity", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Users_list_sends_search_and_paging_and_prints_a_row_per_user()
    {
        var (cli, identity) = WithOperator();
        identity.Answer("GET /admin/users?page=2&pageSize=5&search=ann%40x", HttpStatusCode.OK,
            $$"""{"items":[{"id":"{{UserId}}","email":"ann@x.test","roles":["admin","user"]}],"page":2,"pageSize":5,"total":6}""");

        var result = await cli.RunAsync($"users list --search ann@x --page 2 --page-size 5 {Url}");

        result.ExitsWith(0);
        Assert.Contains("ann@x.test", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("admin,user", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("6 in total", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deactivate_sends_the_reason()
    {
        var (cli, identity) = WithOperator();
        identity.Answer($"POST /admin/users/{UserId}/deactivate", HttpStatusCode.NoContent);

        var result = await cli.RunAsync($"users deactivate {UserId} --reason fraud {Url}");

        result.ExitsWith(0);
        Assert.Contains("\"reason\":\"fraud\"", identity.Requests.Single(r => r.Request.EndsWith("/deactivate", StringComparison.Ordinal)).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_id_that_is_not_a_guid_is_a_usage_error_and_sends_nothing()
    {
        var (cli, identity) = WithOperator();

        var result = await cli.RunAsync($"users show not-a-guid {Url}");

        result.ExitsWith(ExitCodes.UsageOrUnexpected);
        Assert.Empty(identity.Requests);
    }
}
