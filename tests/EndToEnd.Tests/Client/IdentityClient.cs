namespace Platform.EndToEnd.Tests.Client;

/// <summary>Identity's public and operator API, as the contract describes it.</summary>
public sealed class IdentityClient(Uri baseAddress) : ApiClient(baseAddress)
{
    public async Task<UserCreated> SignUpAsync(string email, string password, string? displayName = null) =>
        await ExpectAsync<UserCreated>(
            await SendAsync(HttpMethod.Post, "users", body: new { email, password, displayName }), HttpStatusCode.Created, "sign up");

    /// <summary>The resource an operator asks its token for: the operator API takes no other audience.</summary>
    public const string IdentityResource = "identity";

    public Task<HttpResponseMessage> TryLoginAsync(string email, string password, string? resource = null) =>
        SendAsync(HttpMethod.Post, "auth/login", body: new { email, password, resource });

    public async Task<TokenResponse> LoginAsync(string email, string password) =>
        await ExpectAsync<TokenResponse>(await TryLoginAsync(email, password), HttpStatusCode.OK, "log in");

    /// <summary>A token for the operator API (audience <c>identity</c>), which no other API accepts.</summary>
    public async Task<TokenResponse> LoginOperatorAsync(string email, string password) =>
        await ExpectAsync<TokenResponse>(await TryLoginAsync(email, password, IdentityResource), HttpStatusCode.OK, "log in as operator");

    public Task<HttpResponseMessage> TryRefreshAsync(string refreshToken) =>
        SendAsync(HttpMethod.Post, "auth/refresh", body: new { refreshToken });

    public async Task<TokenResponse> RefreshAsync(string refreshToken) =>
        await ExpectAsync<TokenResponse>(await TryRefreshAsync(refreshToken), HttpStatusCode.OK, "refresh");

    public async Task LogoutAsync(string accessToken) =>
        await ExpectAsync(await SendAsync(HttpMethod.Post, "auth/logout", accessToken), HttpStatusCode.NoContent, "log out");

    public async Task DeactivateAsync(string operatorToken, Guid userId, string? reason = null) =>
        await ExpectAsync(
            await SendAsync(HttpMethod.Post, $"admin/users/{userId}/deactivate", operatorToken, new { reason }),
            HttpStatusCode.NoContent, "deactivate");

    public async Task ReactivateAsync(string operatorToken, Guid userId) =>
        await ExpectAsync(
            await SendAsync(HttpMethod.Post, $"admin/users/{userId}/reactivate", operatorToken), HttpStatusCode.NoContent, "reactivate");

    public async Task<AdminUser> GetUserAsync(string operatorToken, Guid userId) =>
        await ExpectAsync<AdminUser>(
            await SendAsync(HttpMethod.Get, $"admin/users/{userId}", operatorToken), HttpStatusCode.OK, "admin user");

    public async Task RevokeSessionAsync(string operatorToken, Guid sessionId) =>
        await ExpectAsync(
            await SendAsync(HttpMethod.Delete, $"admin/sessions/{sessionId}", operatorToken), HttpStatusCode.NoContent, "revoke session");

    public async Task<RotatedKey> RotateKeysAsync(string operatorToken) =>
        await ExpectAsync<RotatedKey>(
            await SendAsync(HttpMethod.Post, "admin/keys/rotate", operatorToken), HttpStatusCode.Accepted, "rotate keys");

    public async Task ChangePasswordAsync(string accessToken, string currentPassword, string newPassword) =>
        await ExpectAsync(
            await SendAsync(HttpMethod.Post, "auth/password/change", accessToken, new { currentPassword, newPassword }),
            HttpStatusCode.NoContent, "change password");

    public async Task ForgotPasswordAsync(string email) =>
        await ExpectAsync(await SendAsync(HttpMethod.Post, "auth/password/forgot", body: new { email }), HttpStatusCode.Accepted, "forgot password");

    public async Task ResetPasswordAsync(string email, string token, string newPassword) =>
        await ExpectAsync(
            await SendAsync(HttpMethod.Post, "auth/password/reset", body: new { email, token, newPassword }),
            HttpStatusCode.NoContent, "reset password");
}
