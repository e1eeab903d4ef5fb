using System.Net.Http.Json;

namespace Platform.Platformctl.Tests;

/// <summary>Every operator command against the real Identity service.</summary>
[Collection(IdentityCollection.Name)]
public sealed class OperatorCommandsTests(IdentityFixture identity)
{
    [Fact]
    public async Task Login_with_the_operators_credentials_succeeds_without_printing_the_token()
    {
        var result = await identity.Operator().RunAsync("login");

        result.ExitsWith(ExitCodes.Success);
        Assert.Contains("Logged in", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("eyJ", result.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_with_a_wrong_password_exits_with_the_unauthorized_code_and_one_clear_line()
    {
        var result = await identity.Operator().With("PLATFORM_OPERATOR_PASSWORD", "wrong password entirely").RunAsync("login");

        result.ExitsWith(ExitCodes.Unauthorized);
        Assert.StartsWith("platformctl: login failed: 401", result.Stderr, StringComparison.Ordinal);
        Assert.Single(result.Stderr.Trim().Split('\n'));
    }

    [Fact]
    public async Task An_ordinary_user_gets_the_forbidden_code_from_admin_commands()
    {
        var user = await identity.NewUserAsync();
        var tool = identity.Anonymous().With("PLATFORM_OPERATOR_EMAIL", user.Email).With("PLATFORM_OPERATOR_PASSWORD", IdentityFixture.UserPassword);

        var result = await tool.RunAsync("users list");

        result.ExitsWith(ExitCodes.Forbidden);
    }

    [Fact]
    public async Task Users_list_with_a_search_finds_the_user()
    {
        var user = await identity.NewUserAsync();

        var result = await identity.Operator().RunAsync($"users list --search {user.Email[..20]} --page 1 --page-size 10");

        result.ExitsWith(ExitCodes.Success);
        Assert.Contains(user.Id.ToString(), result.Stdout, StringComparison.Ordinal);
        Assert.Contains("1 in total", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Users_show_prints_the_user_and_its_sessions()
    {
        var user = await identity.NewUserAsync();

        var result = await identity.Operator().RunAsync($"users show {user.Id}");

        result.ExitsWith(ExitCodes.Success);
        Assert.Contains(user.Email, result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Sessions:", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("revokedAt", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Users_show_of_an_unknown_id_exits_with_the_not_found_code()
    {
        var result = await identity.Operator().RunAsync($"users show {Guid.NewGuid()}");

        result.ExitsWith(ExitCodes.NotFound);
        Assert.Contains("404", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deactivate_then_reactivate_changes_the_user_and_leaves_audit_records_with_the_reason()
    {
        var user = await identity.NewUserAsync();
        var tool = identity.Operator();

        (await tool.RunAsync($"users deactivate {user.Id} --reason chargeback")).ExitsWith(ExitCodes.Success);
        var deactivated = await tool.RunAsync($"users show {user.Id} --json");
        (await tool.RunAsync($"users reactivate {user.Id}")).ExitsWith(ExitCodes.Success);
        var reactivated = await tool.RunAsync($"users show {user.Id} --json");
        var audit = await tool.RunAsync($"audit --user {user.Id}");

        Assert.Contains("\"isActive\": false", deactivated.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"isActive\": true", reactivated.Stdout, StringComparison.Ordinal);
        audit.ExitsWith(ExitCodes.Success);
        Assert.Contains("chargeback", audit.Stdout, StringComparison.Ordinal);
        Assert.Contains("reactivate", audit.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sessions_revoke_marks_the_session_revoked()
    {
        var user = await identity.NewUserAsync();
        var sessionId = SessionOf(user.AccessToken);
        var tool = identity.Operator();

        (await tool.RunAsync($"sessions revoke {sessionId}")).ExitsWith(ExitCodes.Success);
        var shown = await tool.RunAsync($"users show {user.Id} --json");

        Assert.Matches($"\"id\": \"{sessionId}\"[^}}]*\"revokedAt\": \"2", shown.Stdout);
    }

    [Fact]
    public async Task Sessions_revoke_of_an_unknown_session_exits_with_the_not_found_code()
    {
        var result = await identity.Operator().RunAsync($"sessions revoke {Guid.NewGuid()}");

        result.ExitsWith(ExitCodes.NotFound);
    }

    [Fact]
    public async Task Keys_rotate_adds_a_key_that_keys_list_shows()
    {
        var tool = identity.Operator();

        var rotated = await tool.RunAsync("keys rotate --json");
        var kid = System.Text.Json.JsonDocument.Parse(rotated.Stdout).RootElement.GetProperty("kid").GetString()!;
        var listed = await tool.RunAsync("keys list");

        rotated.ExitsWith(ExitCodes.Success);
        listed.ExitsWith(ExitCodes.Success);
        Assert.Contains(kid, listed.Stdout, StringComparison.Ordinal);
        Assert.Contains("status", listed.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_revoke_withdraws_a_key_at_once_is_idempotent_and_an_unknown_kid_exits_with_the_not_found_code()
    {
        var tool = identity.Operator();
        var rotated = await tool.RunAsync("keys rotate --json");
        var kid = System.Text.Json.JsonDocument.Parse(rotated.Stdout).RootElement.GetProperty("kid").GetString()!;

        var revoked = await tool.RunAsync($"keys revoke {kid}");
        var again = await tool.RunAsync($"keys revoke {kid} --json");
        var unknown = await tool.RunAsync($"keys revoke {Guid.NewGuid():N}");
        var listed = await tool.RunAsync("keys list --json");

        revoked.ExitsWith(ExitCodes.Success);
        Assert.Contains($"Key {kid} is revoked", revoked.Stdout, StringComparison.Ordinal);
        again.ExitsWith(ExitCodes.Success);
        Assert.Equal(kid, System.Text.Json.JsonDocument.Parse(again.Stdout).RootElement.GetProperty("kid").GetString());
        unknown.ExitsWith(ExitCodes.NotFound);
        var status = System.Text.Json.JsonDocument.Parse(listed.Stdout).RootElement.EnumerateArray()
            .Single(k => k.GetProperty("kid").GetString() == kid).GetProperty("status").GetString();
        Assert.Equal("revoked", status);
    }

    [Fact]
    public async Task An_operator_token_asked_without_identitys_audience_is_forbidden_at_the_operator_api()
    {
        using var client = identity.CreateClient();
        var login = await client.PostAsJsonAsync("/auth/login", new { email = IdentityFixture.AdminEmail, password = IdentityFixture.AdminPassword });
        var token = (await login.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("accessToken").GetString()!;
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/keys");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);

        using var refused = await client.SendAsync(request);
        var listed = await identity.Operator().RunAsync("keys list");

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        listed.ExitsWith(ExitCodes.Success);
    }

    [Fact]
    public async Task A_page_size_the_server_refuses_exits_with_the_rejected_code_and_the_validation_message()
    {
        var result = await identity.Operator().RunAsync("users list --page-size 1000");

        result.ExitsWith(ExitCodes.Rejected);
        Assert.Contains("pageSize", result.Stderr, StringComparison.Ordinal);
    }

    internal static string SessionOf(string accessToken) =>
        Tokens.DecodedToken.Parse(accessToken).SessionId!;
}
