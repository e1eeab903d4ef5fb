using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;

namespace Platform.Testing;

/// <summary>
/// A fresh RabbitMQ virtual host on the real broker, deleted on dispose: exchanges and queues of one fixture
/// never see another fixture's messages, so tests can count what they receive.
/// </summary>
public sealed class TestVirtualHost : IAsyncDisposable
{
    private readonly HttpClient _management;

    private TestVirtualHost(string name, HttpClient management)
    {
        Name = name;
        _management = management;
        var admin = new UriBuilder(TestInfrastructure.RabbitMq) { Path = "/" + name };
        AmqpUri = admin.Uri;
    }

    public string Name { get; }

    /// <summary>An administrator's AMQP URI on this virtual host, in the form ConnectionStrings__RabbitMq takes.</summary>
    public Uri AmqpUri { get; }

    public static async Task<TestVirtualHost> CreateAsync(string prefix)
    {
        var name = $"{prefix}-{Guid.NewGuid():N}";
        var management = CreateManagementClient();
        var user = Uri.UnescapeDataString(TestInfrastructure.RabbitMq.UserInfo.Split(':')[0]);
        (await management.PutAsync($"api/vhosts/{name}", null)).EnsureSuccessStatusCode();
        (await management.PutAsJsonAsync($"api/permissions/{name}/{Uri.EscapeDataString(user)}",
            new { configure = ".*", write = ".*", read = ".*" })).EnsureSuccessStatusCode();
        return new TestVirtualHost(name, management);
    }

    /// <summary>How many messages are ready in a queue of this virtual host (0 when it does not exist).</summary>
    public async Task<long> CountReadyAsync(string queue)
    {
        var response = await _management.GetAsync($"api/queues/{Name}/{Uri.EscapeDataString(queue)}");
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
            return 0;
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        return body.TryGetProperty("messages_ready", out var ready) ? ready.GetInt64() : 0;
    }

    public async ValueTask DisposeAsync()
    {
        await _management.DeleteAsync($"api/vhosts/{Name}");
        _management.Dispose();
    }

    private static HttpClient CreateManagementClient()
    {
        var management = TestInfrastructure.RabbitMqManagement;
        var credentials = Uri.UnescapeDataString(management.UserInfo);
        var client = new HttpClient { BaseAddress = new Uri(management.GetLeftPart(UriPartial.Authority) + "/") };
        client.DefaultRequestHeaders.Authorization =
            new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        return client;
    }
}
