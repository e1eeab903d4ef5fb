using System.Buffers.Text;
using System.Text.RegularExpressions;
using Duende.IdentityModel.Client;
using Platform.EndToEnd.Tests.Receivers;
using static Platform.EndToEnd.Tests.Scenarios.ScenarioSupport;

namespace Platform.EndToEnd.Tests.Scenarios;

/// <summary>
/// The standards end to end: a service written in Python, with none of the platform's code, registers as a Shared
/// Signals receiver with a token from the OAuth token endpoint (through a stock OAuth client), validates users' tokens
/// itself and refuses one once its session is revoked, while the operator's <c>platformctl sessions revoke --wait</c>
/// reports every live Orders instance applying the same revocation.
/// </summary>
[Collection(PlatformStackCollection.Name)]
public sealed partial class SharedSignalsScenarioTests(PlatformStack stack, ITestOutputHelper output)
{
    private const string SessionRevoked = "https://schemas.openid.net/secevent/caep/event-type/session-revoked";

    [SkippableFact]
    public async Task A_receiver_outside_dotnet_hears_session_revoked_and_refuses_the_token_while_platformctl_sees_every_instance_apply_it()
    {
        // The receiver listens on this machine's loopback over plain http, which the local stack's Identity (Development)
        // may push to; a containerised Identity reaches neither.
        stack.SkipUnlessLocal();
        using var identity = stack.CreateIdentityClient();
        var operatorToken = await stack.OperatorTokenAsync(identity);
        using var created = await identity.SendAsync(HttpMethod.Post, "admin/clients", operatorToken,
            new { name = "python receiver", scopes = new[] { "ssf:manage" }, audiences = new[] { IdentityClient.IdentityResource } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var client = await created.Content.ReadFromJsonAsync<JsonElement>();
        var clientId = client.GetProperty("clientId").GetString()!;

        using var http = new HttpClient();
        var clientToken = await http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            Address = new Uri(stack.IdentityUrl, "connect/token").ToString(),
            ClientId = clientId,
            ClientSecret = client.GetProperty("clientSecret").GetString()!,
            Resource = [IdentityClient.IdentityResource],
        });
        Assert.False(clientToken.IsError, clientToken.Error);
        await using var receiver = await PythonReceiver.StartAsync(stack.IdentityUrl, clientId, "orders");
        using var stream = await identity.SendAsync(HttpMethod.Post, "ssf/streams", clientToken.AccessToken,
            new { delivery = new { method = "urn:ietf:rfc:8935", endpoint_url = receiver.EventsUrl.ToString() }, events_requested = new[] { SessionRevoked } });
        Assert.Equal(HttpStatusCode.Created, stream.StatusCode);

        var (_, userToken) = await SignedInUserAsync(identity, "ssf-receiver");
        using var api = new HttpClient { BaseAddress = receiver.Url };
        Assert.Equal(HttpStatusCode.OK, await PingAsync(api, userToken));
        var replicas = await stack.OrdersReplicasAsync();
        try
        {
            foreach (var orders in replicas)
                Assert.Equal(HttpStatusCode.OK, await orders.StatusForAsync(userToken));

            var revoke = await PlatformctlAsync("sessions", "revoke", SessionIdOf(userToken), "--wait", "--timeout", "20s");

            Assert.True(revoke.ExitCode == 0, revoke.Output + revoke.Error);
            var applied = AppliedBy().Match(revoke.Output);
            Assert.True(applied.Success, revoke.Output);
            Assert.Equal(applied.Groups["applied"].Value, applied.Groups["expected"].Value);
            Assert.True(int.Parse(applied.Groups["applied"].Value, System.Globalization.CultureInfo.InvariantCulture) >= replicas.Count, revoke.Output);
            var heard = await Eventually.HoldsAsync(async () => await PingAsync(api, userToken) == HttpStatusCode.Unauthorized,
                "the Python receiver to refuse the token of the revoked session", RecoveryLimit, TimeSpan.FromMilliseconds(20));
            foreach (var orders in replicas)
                Assert.Equal(HttpStatusCode.Unauthorized, await orders.StatusForAsync(userToken));
            Summary(output, $"shared signals: python receiver refused the revoked session's token after {heard.TotalMilliseconds:0} ms; platformctl: {applied.Value}");
        }
        finally
        {
            replicas.DisposeAll();
        }
    }

    private static async Task<HttpStatusCode> PingAsync(HttpClient api, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "ping");
        request.Headers.Authorization = new("Bearer", token);
        using var response = await api.SendAsync(request);
        return response.StatusCode;
    }

    private static string SessionIdOf(string jwt)
    {
        using var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(jwt.Split('.')[1]));
        return payload.RootElement.GetProperty("sid").GetString()!;
    }

    /// <summary>The operator's tool as operators run it: its own process, credentials from the environment.</summary>
    private async Task<ProcessResult> PlatformctlAsync(params string[] arguments)
    {
        var dll = Path.Combine(TestInfrastructure.RepositoryRoot, "tools", "Platformctl", "bin", PlatformStack.BuildConfiguration, "net10.0", "platformctl.dll");
        var config = Directory.CreateTempSubdirectory("platformctl-e2e-");
        try
        {
            return await ExternalProcess.RunForResultAsync("dotnet", [dll, "--no-cache", .. arguments], new Dictionary<string, string>
            {
                ["PLATFORM_IDENTITY_URL"] = stack.IdentityUrl.ToString(),
                ["PLATFORM_OPERATOR_EMAIL"] = stack.OperatorEmail,
                ["PLATFORM_OPERATOR_PASSWORD"] = stack.OperatorPassword,
                ["PLATFORMCTL_CONFIG_DIR"] = config.FullName,
            }, timeoutSeconds: 90);
        }
        finally
        {
            config.Delete(recursive: true);
        }
    }

    [GeneratedRegex(@"applied by (?<applied>\d+)/(?<expected>\d+) instances, slowest \d+ ms")]
    private static partial Regex AppliedBy();
}
