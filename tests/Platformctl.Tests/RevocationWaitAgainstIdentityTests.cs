using System.Text.Json;

namespace Platform.Platformctl.Tests;

/// <summary>
/// <c>--wait</c> against the real Identity, with no resource server running: the event named by the route is found and
/// no instance is expected, so the wait ends at once with 0/0; the bulk answer names each user's event.
/// </summary>
[Collection(IdentityCollection.Name)]
public sealed class RevocationWaitAgainstIdentityTests(IdentityFixture identity)
{
    [Fact]
    public async Task Deactivate_with_wait_follows_the_event_identity_names()
    {
        var user = await identity.NewUserAsync();

        var result = await identity.Operator().RunAsync($"users deactivate {user.Id} --wait --timeout 5s");

        result.ExitsWith(ExitCodes.Success);
        Assert.Contains("Revocation event ", result.Stdout, StringComparison.Ordinal);
        Assert.Contains(": applied by 0/0 instances", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_bulk_answer_lists_one_event_per_deactivated_user_that_the_revocation_route_knows()
    {
        var first = await identity.NewUserAsync();
        var second = await identity.NewUserAsync();
        var file = Path.Combine(Path.GetTempPath(), $"platformctl-events-{Guid.NewGuid():N}.txt");
        await File.WriteAllLinesAsync(file, [first.Id.ToString(), second.Id.ToString()]);
        var tool = identity.Operator();

        var result = await tool.RunAsync($"users deactivate --file {file} --json");
        File.Delete(file);

        result.ExitsWith(ExitCodes.Success);
        var events = JsonDocument.Parse(result.Stdout).RootElement.GetProperty("events").EnumerateArray().Select(e => e.GetGuid()).ToList();
        Assert.Equal(2, events.Distinct().Count());
        foreach (var eventId in events)
            Assert.Contains("\"type\": \"UserDeactivated\"", (await tool.RunAsync($"revocations show {eventId} --json")).Stdout, StringComparison.Ordinal);
    }
}
