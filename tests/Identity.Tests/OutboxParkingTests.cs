using System.Diagnostics.Metrics;
using Platform.Identity.Diagnostics;

namespace Platform.Identity.Tests;

/// <summary>
/// An outbox row that can never be published (a type this version does not know, a payload that is not its type)
/// neither holds up the events behind it nor is retried forever: it is parked, and readiness and a gauge say so.
/// </summary>
public sealed class OutboxParkingTests(OutboxParkingApp app) : IClassFixture<OutboxParkingApp>
{
    private const string CorruptMarker = "not-a-guid-3f1c";
    private readonly HttpClient _client = app.CreateClient();

    [Fact]
    public async Task Unpublishable_rows_do_not_hold_up_a_revocation_behind_them_and_are_parked_after_the_allowed_attempts()
    {
        using var metrics = new MetricRecorder(app.Services.GetRequiredService<IMeterFactory>(), IdentityMetrics.MeterName);
        var admin = (await _client.LoginAdminAsync()).AccessToken;
        var user = await _client.SignUpAsync(IdentityClient.NewEmail());
        var unknown = await InsertAsync("AccountMerged", "{}");
        var corrupt = await InsertAsync(nameof(SessionRevoked), $$"""{"SessionId":"{{CorruptMarker}}"}""");

        Assert.Equal(HttpStatusCode.NoContent, (await _client.SendAsync(HttpMethod.Post, $"/admin/users/{user.Id}/deactivate", admin)).StatusCode);

        await app.Events.WaitForAsync<UserDeactivated>(e => e.UserId == user.Id);
        var tried = await RowAsync(unknown);
        Assert.True(tried.Attempts >= 1 && tried.ParkedAt is null && tried.SentAt is null, "The unknown row was not retried in place.");

        // Each Advance moves the clock past the row's backoff, so the dispatcher tries it again on its next round.
        await Eventually.HoldsAsync(async () =>
        {
            app.Time.Advance(TimeSpan.FromMinutes(1));
            return (await RowAsync(unknown)).ParkedAt is not null && (await RowAsync(corrupt)).ParkedAt is not null;
        }, "both unpublishable rows to be parked", TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(200));

        var parkedUnknown = await RowAsync(unknown);
        var parkedCorrupt = await RowAsync(corrupt);
        Assert.Equal(OutboxParkingApp.MaxAttempts, parkedUnknown.Attempts);
        Assert.Equal(OutboxParkingApp.MaxAttempts, parkedCorrupt.Attempts);
        Assert.Contains("AccountMerged", parkedUnknown.LastError, StringComparison.Ordinal);
        Assert.Contains(nameof(SessionRevoked), parkedCorrupt.LastError, StringComparison.Ordinal);
        Assert.DoesNotContain(CorruptMarker, parkedCorrupt.LastError, StringComparison.Ordinal);
        Assert.Null(parkedUnknown.SentAt);

        var (status, description) = await OutboxReadinessAsync();
        Assert.Equal("Degraded", status);
        Assert.Contains("outbox.parked = 2", description, StringComparison.Ordinal);
        await Eventually.HoldsAsync(() =>
        {
            metrics.Observe();
            return metrics.Values("platform.identity.outbox.parked") is [.., 2];
        }, "the parked gauge to show both rows");

        // The retention cleanup deletes the sent row a week on, and leaves the parked ones for an operator.
        var sent = (await RowsAsync()).Single(m => m.Type == nameof(UserDeactivated) && m.SentAt != null).Id;
        app.Time.Advance(TimeSpan.FromDays(8));
        await Eventually.HoldsAsync(async () => (await RowsAsync()).TrueForAll(m => m.Id != sent), "the sent row to be cleaned up");
        Assert.Contains(await RowsAsync(), m => m.Id == unknown);
        Assert.Contains(await RowsAsync(), m => m.Id == corrupt);
    }

    private async Task<Guid> InsertAsync(string type, string payload)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
        var row = new OutboxMessage { Id = Guid.CreateVersion7(), Type = type, Payload = payload, CreatedAt = app.Time.GetUtcNow().AddSeconds(-1) };
        db.OutboxMessages.Add(row);
        await db.SaveChangesAsync();
        return row.Id;
    }

    private async Task<OutboxMessage> RowAsync(Guid id) => (await RowsAsync()).Single(m => m.Id == id);

    private async Task<List<OutboxMessage>> RowsAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IdentityDb>().OutboxMessages.AsNoTracking().ToListAsync();
    }

    private async Task<(string Status, string Description)> OutboxReadinessAsync()
    {
        using var response = await _client.GetAsync("/health/ready");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var check = body.RootElement.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "outbox");
        return (check.GetProperty("status").GetString()!, check.GetProperty("description").GetString()!);
    }
}
