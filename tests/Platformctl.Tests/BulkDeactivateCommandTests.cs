using System.Net.Http.Headers;

namespace Platform.Platformctl.Tests;

/// <summary><c>users deactivate --file</c> against the real Identity: one request for the whole list, all or nothing.</summary>
[Collection(IdentityCollection.Name)]
public sealed class BulkDeactivateCommandTests(IdentityFixture identity) : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"platformctl-ids-{Guid.NewGuid():N}.txt");

    [Fact]
    public async Task A_file_of_ids_deactivates_every_listed_user_and_prints_the_counts()
    {
        var first = await identity.NewUserAsync();
        var second = await identity.NewUserAsync();
        var inactive = await identity.NewUserAsync();
        var tool = identity.Operator();
        (await tool.RunAsync($"users deactivate {inactive.Id}")).ExitsWith(ExitCodes.Success);
        await File.WriteAllLinesAsync(_file, ["# offboarding of one customer", "", $"  {first.Id}  ", $"{second.Id} # the admin account", inactive.Id.ToString(), "   "]);

        var result = await tool.RunAsync($"users deactivate --file {_file} --reason offboarding");

        result.ExitsWith(ExitCodes.Success);
        Assert.Contains("2 user(s) deactivated, 1 already inactive, of 3", result.Stdout, StringComparison.Ordinal);
        foreach (var user in new[] { first, second })
        {
            Assert.Contains("\"isActive\": false", (await tool.RunAsync($"users show {user.Id} --json")).Stdout, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(user.AccessToken));
        }

        Assert.Contains("offboarding", (await tool.RunAsync($"audit --user {second.Id}")).Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lines_that_are_not_ids_exit_non_zero_naming_their_line_numbers_and_nothing_is_sent()
    {
        var user = await identity.NewUserAsync();
        await File.WriteAllLinesAsync(_file, [user.Id.ToString(), "not-an-id", "# fine", "12345", user.Id.ToString("N")]);

        var result = await identity.Operator().RunAsync($"users deactivate --file {_file}");

        result.ExitsWith(ExitCodes.UsageOrUnexpected);
        Assert.Contains("2 line(s) that are not user ids (line 2, 4); nothing was sent", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await MeAsync(user.AccessToken));
    }

    [Fact]
    public async Task An_unknown_or_repeated_id_exits_with_the_rejected_code_naming_it_and_deactivates_nobody()
    {
        var user = await identity.NewUserAsync();
        var unknown = Guid.NewGuid();
        var tool = identity.Operator();
        await File.WriteAllLinesAsync(_file, [user.Id.ToString(), unknown.ToString()]);
        var withUnknown = await tool.RunAsync($"users deactivate --file {_file}");
        await File.WriteAllLinesAsync(_file, [user.Id.ToString(), user.Id.ToString()]);
        var repeated = await tool.RunAsync($"users deactivate --file {_file}");

        withUnknown.ExitsWith(ExitCodes.Rejected);
        Assert.Contains("400", withUnknown.Stderr, StringComparison.Ordinal);
        Assert.Contains($"No user has these ids; nothing was deactivated (1): {unknown}", withUnknown.Stderr, StringComparison.Ordinal);
        repeated.ExitsWith(ExitCodes.Rejected);
        Assert.Contains($"more than once (1): {user.Id}", repeated.Stderr, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await MeAsync(user.AccessToken));
    }

    [Fact]
    public async Task A_missing_or_empty_file_or_an_id_beside_the_file_is_a_usage_error()
    {
        var tool = identity.Operator();
        var missing = await tool.RunAsync($"users deactivate --file {_file}");
        await File.WriteAllLinesAsync(_file, ["# nobody yet", ""]);
        var empty = await tool.RunAsync($"users deactivate --file {_file}");
        var both = await tool.RunAsync($"users deactivate {Guid.NewGuid()} --file {_file}");
        var neither = await tool.RunAsync("users deactivate");

        missing.ExitsWith(ExitCodes.UsageOrUnexpected);
        Assert.Contains($"cannot read the id file {_file}", missing.Stderr, StringComparison.Ordinal);
        empty.ExitsWith(ExitCodes.UsageOrUnexpected);
        Assert.Contains("names no user ids; nothing was sent", empty.Stderr, StringComparison.Ordinal);
        Assert.NotEqual(ExitCodes.Success, both.ExitCode);
        Assert.Contains("either a user id or --file", both.All, StringComparison.Ordinal);
        Assert.NotEqual(ExitCodes.Success, neither.ExitCode);
    }

    public void Dispose() => File.Delete(_file);

    private async Task<HttpStatusCode> MeAsync(string accessToken)
    {
        using var client = identity.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/users/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}
