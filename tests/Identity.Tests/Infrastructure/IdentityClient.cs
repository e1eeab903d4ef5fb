using System.Net.Http.Headers;

namespace Platform.Identity.Tests.Infrastructure;

public sealed record Tokens(string AccessToken, string TokenType, int ExpiresIn, string RefreshToken);

public sealed record CreatedUser(Guid Id, string Email, string? DisplayName, DateTimeOffset CreatedAt);

/// <summary>What a REST client of Identity does, in a few calls.</summary>
public static class IdentityClient
{
    public const string Password = "a long enough passphrase 7";

    /// <summary>The resource an operator asks its token for: the operator API takes no other audience.</summary>
    public const string IdentityResource = "identity";

    public static string NewEmail() => $"user-{Guid.NewGuid():N}@example.test";

    public static async Task<CreatedUser> SignUpAsync(this HttpClient client, string email, string password = Password)
    {
        var response = await client.PostAsJsonAsync("/users", new { email, password, displayName = "Test User" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<CreatedUser>())!;
    }

    public static async Task<Tokens> LoginAsync(this HttpClient client, string email, string password = Password, string? resource = null)
    {
        var response = await client.PostAsJsonAsync("/auth/login", new { email, password, resource });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<Tokens>())!;
    }

    /// <summary>A new user, signed up and logged in.</summary>
    public static async Task<(CreatedUser User, Tokens Tokens)> NewUserAsync(this HttpClient client)
    {
        var email = NewEmail();
        var user = await client.SignUpAsync(email);
        return (user, await client.LoginAsync(email));
    }

    /// <summary>The bootstrap operator, with a token for the operator API.</summary>
    public static Task<Tokens> LoginAdminAsync(this HttpClient client) =>
        client.LoginAsync(IdentityApp.AdminEmail, IdentityApp.AdminPassword, IdentityResource);

    /// <summary>Any operator, with a token for the operator API.</summary>
    public static Task<Tokens> LoginOperatorAsync(this HttpClient client, string email, string password = Password) =>
        client.LoginAsync(email, password, IdentityResource);

    public static async Task<HttpResponseMessage> SendAsync(this HttpClient client, HttpMethod method, string path, string? accessToken, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (accessToken is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        if (body is not null)
            request.Content = JsonContent.Create(body);
        return await client.SendAsync(request);
    }

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();

    /// <summary>Asserts an RFC 9457 problem with the given status.</summary>
    public static async Task<JsonElement> AssertProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        return problem;
    }
}
