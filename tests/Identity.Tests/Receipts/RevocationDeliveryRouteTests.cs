namespace Platform.Identity.Tests.Receipts;

/// <summary><c>GET /admin/revocations/{eventId}</c> answers bad input and unknown events with problems, and only operators.</summary>
public sealed class RevocationDeliveryRouteTests(IdentityApp app) : IClassFixture<IdentityApp>
{
    private readonly HttpClient _client = app.CreateClient();

    [Theory]
    [InlineData("not-an-id")]
    [InlineData("00000000-0000-0000-0000-000000000000")]
    [InlineData("12345")]
    public async Task An_event_id_that_is_not_one_is_a_validation_problem(string eventId)
    {
        var admin = (await _client.LoginAdminAsync()).AccessToken;

        using var response = await _client.SendAsync(HttpMethod.Get, $"/admin/revocations/{eventId}", admin);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("eventId", out _));
    }

    [Fact]
    public async Task An_unknown_event_or_one_no_resource_server_applies_is_not_found()
    {
        var admin = (await _client.LoginAdminAsync()).AccessToken;
        var (user, _) = await _client.NewUserAsync();
        await _client.PostAsJsonAsync("/auth/password/forgot", new { email = user.Email });
        var reset = await Eventually.FoundValueAsync(() => app.Events.MessageIds<PasswordResetRequested>() is { Count: > 0 } ids ? ids[^1] : null,
            "the reset request's event");

        using var unknown = await _client.SendAsync(HttpMethod.Get, $"/admin/revocations/{Guid.NewGuid()}", admin);
        using var notRevocation = await _client.SendAsync(HttpMethod.Get, $"/admin/revocations/{reset}", admin);

        await unknown.AssertProblemAsync(HttpStatusCode.NotFound);
        await notRevocation.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Only_operators_with_identitys_audience_may_ask()
    {
        var (user, _) = await _client.NewUserAsync();
        var userToken = (await _client.LoginAsync(user.Email, resource: IdentityClient.IdentityResource)).AccessToken;
        var adminForOrders = (await _client.LoginAsync(IdentityApp.AdminEmail, IdentityApp.AdminPassword)).AccessToken;
        var path = $"/admin/revocations/{Guid.NewGuid()}";

        using var anonymous = await _client.SendAsync(HttpMethod.Get, path, null);
        using var byUser = await _client.SendAsync(HttpMethod.Get, path, userToken);
        using var byOrdersToken = await _client.SendAsync(HttpMethod.Get, path, adminForOrders);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        await byUser.AssertProblemAsync(HttpStatusCode.Forbidden);
        await byOrdersToken.AssertProblemAsync(HttpStatusCode.Forbidden);
    }
}
