namespace Platform.Platformctl.Tests;

/// <summary>
/// <c>--wait</c> on the commands that revoke, against a stand-in Identity: it follows the event the change names in
/// its <c>Revocation-Event</c> header until no live instance is pending, or exits 8 naming the ones that are.
/// </summary>
public sealed class RevocationWaitTests
{
    private static readonly Guid UserId = Guid.Parse("0d4c2b8e-3f41-4a8e-9d55-2f1e6c7b8a90");
    private static readonly Guid SessionId = Guid.Parse("7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d");
    private static readonly Guid EventId = Guid.Parse("01938a6e-1f2b-7c3d-8e4f-5a6b7c8d9e0f");
    private readonly SigningKey _key = new();

    private (Tool Cli, FakeIdentity Identity) WithOperator()
    {
        var identity = new FakeIdentity(_key)
            .Answer("POST /auth/login", HttpStatusCode.OK, """{"accessToken":"operator-token-value","tokenType":"Bearer","expiresIn":600,"refreshToken":"refresh-value"}""")
            .Answer($"POST /admin/users/{UserId}/deactivate", HttpStatusCode.NoContent)
            .Header($"POST /admin/users/{UserId}/deactivate", "Revocation-Event", EventId.ToString())
            .Answer($"DELETE /admin/sessions/{SessionId}", HttpStatusCode.NoContent)
            .Header($"DELETE /admin/sessions/{SessionId}", "Revocation-Event", EventId.ToString());
        var cli = new Tool(identity).With("PLATFORM_IDENTITY_URL", "http://identity.test")
            .With("PLATFORM_OPERATOR_EMAIL", "ops@identity.test").With("PLATFORM_OPERATOR_PASSWORD", "secret passphrase");
        return (cli, identity);
    }

    private static string Delivery(int expected, string applied, string pending) =>
        $$"""{"eventId":"{{EventId}}","type":"UserDeactivated","expected":{{expected}},"applied":[{{applied}}],"pending":[{{pending}}]}""";

    [Fact]
    public async Task Deactivate_with_wait_prints_n_of_n_and_the_slowest_instance_once_none_is_pending()
    {
        var (cli, identity) = WithOperator();
        identity.Answer($"GET /admin/revocations/{EventId}", HttpStatusCode.OK, Delivery(2,
            """{"instanceId":"orders-a","latencyMs":12.4},{"instanceId":"orders-b","latencyMs":48.6}""", ""));

        var result = await cli.RunAsync($"users deactivate {UserId} --wait");

        result.ExitsWith(ExitCodes.Success);
        Assert.Contains($"Revocation event {EventId}: applied by 2/2 instances, slowest 49 ms", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deactivate_with_wait_exits_8_naming_the_pending_instance_when_the_timeout_passes()
    {
        var (cli, identity) = WithOperator();
        identity.Answer($"GET /admin/revocations/{EventId}", HttpStatusCode.OK,
            Delivery(2, """{"instanceId":"orders-a","latencyMs":12.4}""", "\"orders-silent\""));

        var result = await cli.RunAsync($"users deactivate {UserId} --wait --timeout 600ms");

        result.ExitsWith(ExitCodes.NotApplied);
        Assert.Contains("applied by 1/2 instances, slowest 12 ms; pending: orders-silent", result.Stderr, StringComparison.Ordinal);
        Assert.True(identity.Requests.Count(r => r.Request == $"GET /admin/revocations/{EventId}") > 1, "it polled more than once");
    }

    [Fact]
    public async Task Session_revoke_with_wait_follows_the_sessions_event()
    {
        var (cli, identity) = WithOperator();
        identity.Answer($"GET /admin/revocations/{EventId}", HttpStatusCode.OK, Delivery(1, """{"instanceId":"orders-a","latencyMs":3}""", ""));

        var result = await cli.RunAsync($"sessions revoke {SessionId} --wait --timeout 5s");

        result.ExitsWith(ExitCodes.Success);
        Assert.Contains("applied by 1/1 instances, slowest 3 ms", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_wait_nothing_is_polled_and_without_an_event_there_is_nothing_to_wait_for()
    {
        var (cli, identity) = WithOperator();
        var unchanged = Guid.NewGuid();
        identity.Answer($"POST /admin/users/{unchanged}/deactivate", HttpStatusCode.NoContent);

        var plain = await cli.RunAsync($"users deactivate {UserId}");
        var nothing = await cli.RunAsync($"users deactivate {unchanged} --wait");

        plain.ExitsWith(ExitCodes.Success);
        nothing.ExitsWith(ExitCodes.Success);
        Assert.Contains("nothing to wait for", nothing.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(identity.Requests, r => r.Request.StartsWith("GET /admin/revocations/", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--wait --timeout soon")]
    [InlineData("--wait --timeout 0s")]
    [InlineData("--wait --timeout 2h")]
    public async Task A_timeout_that_is_not_a_positive_duration_of_at_most_an_hour_is_a_usage_error(string options)
    {
        var (cli, identity) = WithOperator();

        var result = await cli.RunAsync($"users deactivate {UserId} {options}");

        result.ExitsWith(ExitCodes.UsageOrUnexpected);
        Assert.Contains("--timeout must be a positive duration", result.All, StringComparison.Ordinal);
        Assert.DoesNotContain(identity.Requests, r => r.Request.StartsWith("POST /admin/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Wait_with_a_file_is_a_usage_error_and_nothing_is_sent()
    {
        var (cli, identity) = WithOperator();
        var file = Path.Combine(Path.GetTempPath(), $"platformctl-wait-{Guid.NewGuid():N}.txt");
        await File.WriteAllLinesAsync(file, [UserId.ToString()]);

        var result = await cli.RunAsync($"users deactivate --file {file} --wait");
        File.Delete(file);

        result.ExitsWith(ExitCodes.UsageOrUnexpected);
        Assert.Contains("--wait follows one user's deactivation", result.All, StringComparison.Ordinal);
        Assert.DoesNotContain(identity.Requests, r => r.Request.StartsWith("POST /admin/", StringComparison.Ordinal));
    }
}
