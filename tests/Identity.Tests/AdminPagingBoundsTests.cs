namespace Platform.Identity.Tests;

/// <summary>
/// The operator's user list pages like Orders' list (one rule, ServiceDefaults' Paging): a page far enough to
/// overflow the offset is a 400 naming the field, never the 500 or 503 of a database refusing a negative OFFSET.
/// </summary>
public sealed class AdminPagingBoundsTests(IdentityApp app) : IClassFixture<IdentityApp>
{
    private readonly HttpClient _client = app.CreateClient();

    [Theory]
    [InlineData("page=2147483647", "page")] // (page − 1) × 20 wraps to a negative OFFSET
    [InlineData("page=107374183&pageSize=20", "page")]
    [InlineData("page=10001", "page")]
    [InlineData("page=0", "page")]
    [InlineData("page=1&pageSize=101", "pageSize")]
    public async Task Out_of_range_paging_is_400_naming_only_the_wrong_field(string query, string field)
    {
        var admin = (await _client.LoginAdminAsync()).AccessToken;

        using var response = await _client.SendAsync(HttpMethod.Get, "/admin/users?" + query, admin);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.False(response.Headers.Contains("Retry-After"), "a client's mistake must not look like an outage");
        Assert.Equal([field], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name));
    }

    [Fact]
    public async Task The_last_allowed_page_answers_200_and_empty()
    {
        var admin = (await _client.LoginAdminAsync()).AccessToken;

        using var response = await _client.SendAsync(HttpMethod.Get, "/admin/users?page=10000&pageSize=100", admin);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, (await response.JsonAsync()).GetProperty("items").GetArrayLength());
    }
}
