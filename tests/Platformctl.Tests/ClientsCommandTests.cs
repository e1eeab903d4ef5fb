using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text;

namespace Platform.Platformctl.Tests;

/// <summary>The clients commands against the real Identity service: the secret is printed once and works, rotation and disabling take effect.</summary>
[Collection(IdentityCollection.Name)]
public sealed class ClientsCommandTests(IdentityFixture identity)
{
    [Fact]
    public async Task Create_prints_the_id_and_the_secret_once_and_the_secret_gets_a_token()
    {
        var result = await identity.Operator().RunAsync("clients create --name reporting --scope orders:read --scope ssf:manage --audience orders --audience identity");

        result.ExitsWith(ExitCodes.Success);
        var (id, secret) = Registered(result.Stdout);
        Assert.Contains("shown this once", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, CountOf(result.Stdout, secret));
        Assert.Equal(HttpStatusCode.OK, (await TokenAsync(id, secret)).StatusCode);

        var shown = await identity.Operator().RunAsync($"clients show {id}");
        var listed = await identity.Operator().RunAsync("clients list --page-size 100");

        shown.ExitsWith(ExitCodes.Success);
        Assert.Contains("reporting", shown.Stdout, StringComparison.Ordinal);
        Assert.Contains("ssf:manage", shown.Stdout, StringComparison.Ordinal);
        Assert.Contains(id, listed.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, shown.All + listed.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rotate_secret_prints_a_new_secret_and_the_old_one_stops_working()
    {
        var (id, old) = Registered((await identity.Operator().RunAsync("clients create --name rotating --scope orders:read --audience orders")).Stdout);

        var result = await identity.Operator().RunAsync($"clients rotate-secret {id}");

        result.ExitsWith(ExitCodes.Success);
        var fresh = SecretLine(result.Stdout);
        Assert.NotEqual(old, fresh);
        Assert.Equal(HttpStatusCode.Unauthorized, (await TokenAsync(id, old)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await TokenAsync(id, fresh)).StatusCode);
    }

    [Fact]
    public async Task Disable_refuses_the_client_and_unknown_or_invalid_input_fails_clearly()
    {
        var (id, secret) = Registered((await identity.Operator().RunAsync("clients create --name leaving --scope orders:read --audience orders")).Stdout);

        var disabled = await identity.Operator().RunAsync($"clients disable {id}");
        var unknown = await identity.Operator().RunAsync($"clients show {Guid.NewGuid()}");
        var invalid = await identity.Operator().RunAsync("clients create --name bad --scope admin --audience orders");

        disabled.ExitsWith(ExitCodes.Success);
        Assert.Contains("disabled", disabled.Stdout, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await TokenAsync(id, secret)).StatusCode);
        Assert.NotEqual(ExitCodes.Success, unknown.ExitCode);
        Assert.Contains("404", unknown.Stderr, StringComparison.Ordinal);
        Assert.NotEqual(ExitCodes.Success, invalid.ExitCode);
        Assert.Contains("scopes", invalid.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_inspect_judges_a_client_token_by_its_client()
    {
        var (id, secret) = Registered((await identity.Operator().RunAsync("clients create --name inspected --scope orders:read --audience orders")).Stdout);
        var token = (await (await TokenAsync(id, secret)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;

        var live = await identity.Operator().RunAsync("token inspect", stdin: token);
        await identity.Operator().RunAsync($"clients disable {id}");
        var disabled = await identity.Operator().RunAsync("token inspect", stdin: token);

        live.ExitsWith(ExitCodes.Success);
        Assert.Contains("Revocation: checked", live.Stdout, StringComparison.Ordinal);
        disabled.ExitsWith(ExitCodes.TokenRevoked);
        Assert.Contains($"client {id} was disabled", disabled.Stdout, StringComparison.Ordinal);
    }

    private static (string Id, string Secret) Registered(string stdout)
    {
        var first = stdout.Split('\n')[0];
        var id = first.Split(' ')[1];
        Assert.True(Guid.TryParse(id, out _), "the first line names the client id");
        return (id, SecretLine(stdout));
    }

    private static string SecretLine(string stdout)
    {
        var lines = stdout.Split('\n');
        var index = Array.FindIndex(lines, l => l.StartsWith("Client secret", StringComparison.Ordinal));
        return lines[index + 1].Trim();
    }

    private static int CountOf(string text, string value) => text.Split(value).Length - 1;

    private async Task<HttpResponseMessage> TokenAsync(string id, string secret)
    {
        using var http = identity.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token")
        {
            Content = new FormUrlEncodedContent([new("grant_type", "client_credentials")]),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{id}:{secret}")));
        return await http.SendAsync(request);
    }
}
