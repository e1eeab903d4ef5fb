namespace Platform.Identity.Tests.Receipts;

/// <summary>What the receipt tests ask Identity: the delivery of an event, and whether it has heard of an instance.</summary>
internal static class Deliveries
{
    public static readonly Dictionary<string, string> FastHeartbeat = new() { ["Api:HeartbeatInterval"] = "00:00:01" };

    public const string EventHeader = "Revocation-Event";

    public static Guid EventOf(HttpResponseMessage response) =>
        Guid.Parse(Assert.Single(response.Headers.GetValues(EventHeader)));

    public static async Task<JsonElement> GetAsync(HttpClient client, string admin, Guid eventId)
    {
        using var response = await client.SendAsync(HttpMethod.Get, $"/admin/revocations/{eventId}", admin);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    /// <summary>Waits until the delivery of <paramref name="eventId"/> satisfies <paramref name="done"/>.</summary>
    public static Task<JsonElement> WaitAsync(HttpClient client, string admin, Guid eventId, Func<JsonElement, bool> done, string what) =>
        Eventually.ValueAsync(() => GetAsync(client, admin, eventId), done, what, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(200));

    public static string[] Applied(JsonElement delivery) =>
        [.. delivery.GetProperty("applied").EnumerateArray().Select(a => a.GetProperty("instanceId").GetString()!).Order(StringComparer.Ordinal)];

    public static string[] Pending(JsonElement delivery) =>
        [.. delivery.GetProperty("pending").EnumerateArray().Select(p => p.GetString()!)];

    public static int Expected(JsonElement delivery) => delivery.GetProperty("expected").GetInt32();

    /// <summary>Waits until Identity has stored a heartbeat of each instance: events written after that must reach them.</summary>
    public static Task WaitUntilKnownAsync(IdentityApp app, params string[] instanceIds) =>
        Eventually.HoldsAsync(async () =>
        {
            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
            return await db.ApiInstances.CountAsync(i => instanceIds.Contains(i.Id)) == instanceIds.Length;
        }, "Identity to hear the instances' heartbeats", TimeSpan.FromSeconds(30));

    public static async Task<int> ReceiptRowsAsync(IdentityApp app, Guid eventId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IdentityDb>().RevocationReceipts.CountAsync(r => r.EventId == eventId);
    }
}
