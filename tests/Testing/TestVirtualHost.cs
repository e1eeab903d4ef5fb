using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;

namespace Platform.Testing;

/// <summary>
/// A fresh RabbitMQ virtual host on the real broker, deleted on dispose: exchanges and queues of one fixture
/// never see another fixture's messages, so tests can count what they receive.
/// </summary>
public sealed class TestVirtualHost : IAsyncDisposable
{
    private readonly HttpClient _management;
    private readonly List<string> _users = [];

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

    /// <summary>
    /// A broker user of its own with exactly the permissions the platform gives <paramref name="service"/> on this
    /// virtual host, and its AMQP URI; deleted with the virtual host.
    /// </summary>
    public async Task<Uri> CreateServiceUserAsync(string service) => await CreateUserAsync(service, await BrokerPermissions.ForAsync(service));

    /// <summary>A broker user of its own with <paramref name="permissions"/> on this virtual host, and its AMQP URI; deleted with the virtual host.</summary>
    public async Task<Uri> CreateUserAsync(string name, BrokerPermissions permissions)
    {
        ArgumentNullException.ThrowIfNull(permissions);
        var user = $"{Name}-{name}";
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        (await _management.PutAsJsonAsync($"api/users/{Uri.EscapeDataString(user)}", new { password, tags = "" })).EnsureSuccessStatusCode();
        _users.Add(user);
        (await _management.PutAsJsonAsync($"api/permissions/{Name}/{Uri.EscapeDataString(user)}",
            new { configure = permissions.Configure, write = permissions.Write, read = permissions.Read })).EnsureSuccessStatusCode();
        return new UriBuilder(AmqpUri) { UserName = user, Password = password }.Uri;
    }

    /// <summary>How many messages are ready in a queue of this virtual host (0 when it does not exist).</summary>
    public Task<long> CountReadyAsync(string queue) => CountAsync(queue, "messages_ready");

    /// <summary>
    /// How many messages a queue of this virtual host holds, ready or delivered and not yet acknowledged (0 when it does
    /// not exist). The broker's statistics lag by a few seconds: wait for a value, never assert one at once.
    /// </summary>
    public Task<long> CountHeldAsync(string queue) => CountAsync(queue, "messages");

    private async Task<long> CountAsync(string queue, string statistic)
    {
        var response = await _management.GetAsync($"api/queues/{Name}/{Uri.EscapeDataString(queue)}");
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
            return 0;
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        return body.TryGetProperty(statistic, out var count) ? count.GetInt64() : 0;
    }

    /// <summary>Every queue of this virtual host as the broker declared it.</summary>
    public async Task<IReadOnlyList<BrokerQueue>> QueuesAsync()
    {
        var queues = await _management.GetFromJsonAsync<System.Text.Json.JsonElement>($"api/queues/{Name}");
        return queues.EnumerateArray().Select(q => new BrokerQueue(
            q.GetProperty("name").GetString()!,
            q.GetProperty("type").GetString()!,
            q.GetProperty("durable").GetBoolean(),
            q.TryGetProperty("exclusive", out var exclusive) && exclusive.ValueKind == System.Text.Json.JsonValueKind.True)).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        await _management.DeleteAsync($"api/vhosts/{Name}");
        foreach (var user in _users)
            await _management.DeleteAsync($"api/users/{Uri.EscapeDataString(user)}");
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

/// <summary>A queue as the broker reports it; RabbitMQ 4 refuses one that is neither durable nor exclusive.</summary>
public sealed record BrokerQueue(string Name, string Type, bool Durable, bool Exclusive);
