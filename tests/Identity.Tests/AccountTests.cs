using System.Buffers.Binary;
using Microsoft.AspNetCore.Identity;

namespace Platform.Identity.Tests;

public sealed class AccountTests(IdentityApp app) : IClassFixture<IdentityApp>
{
    private readonly HttpClient _client = app.CreateClient();

    [Fact]
    public async Task Sign_up_answers_201_with_location_and_a_roles_field_grants_nothing()
    {
        var email = IdentityClient.NewEmail();

        var response = await _client.PostAsJsonAsync("/users", new { email, password = IdentityClient.Password, displayName = "Ada", roles = new[] { "admin" } });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal(email, body.GetProperty("email").GetString());
        Assert.Equal("Ada", body.GetProperty("displayName").GetString());
        Assert.EndsWith(body.GetProperty("id").GetString()!, response.Headers.Location!.ToString(), StringComparison.Ordinal);
        var tokens = await _client.LoginAsync(email);
        Assert.Equal(HttpStatusCode.Forbidden, (await _client.SendAsync(HttpMethod.Get, "/admin/users", tokens.AccessToken)).StatusCode);
        Assert.Empty((await (await _client.SendAsync(HttpMethod.Get, "/users/me", tokens.AccessToken)).JsonAsync()).GetProperty("roles").EnumerateArray());
    }

    [Fact]
    public async Task Sign_up_with_a_taken_email_answers_409()
    {
        var email = IdentityClient.NewEmail();
        await _client.SignUpAsync(email);

        var response = await _client.PostAsJsonAsync("/users", new { email = email.ToUpperInvariant(), password = IdentityClient.Password });

        await response.AssertProblemAsync(HttpStatusCode.Conflict);
    }

    [Theory]
    [InlineData("short pass1")] // 11 characters
    [InlineData("password1234")]
    [InlineData("correcthorsebatterystaple")]
    [InlineData("aaaaaaaaaaaaaaaa")]
    public async Task Sign_up_with_a_short_or_common_password_answers_400(string password)
    {
        var email = IdentityClient.NewEmail();

        var response = await _client.PostAsJsonAsync("/users", new { email, password });

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _client.PostAsJsonAsync("/auth/login", new { email, password })).StatusCode);
    }

    [Theory]
    [InlineData("{\"email\": \"a@example.test\", \"password\": ", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("{\"email\": 42, \"password\": []}", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("{}", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("null", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("{\"email\": \"not-an-email\", \"password\": \"a long enough passphrase 7\"}", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("email=a@example.test", "application/x-www-form-urlencoded", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("<user/>", "text/xml", HttpStatusCode.UnsupportedMediaType)]
    public async Task Malformed_sign_up_bodies_answer_a_4xx_problem(string body, string contentType, HttpStatusCode expected)
    {
        var response = await _client.PostAsync("/users", new StringContent(body, Encoding.UTF8, contentType));

        await response.AssertProblemAsync(expected);
    }

    [Fact]
    public async Task Oversized_fields_answer_400_and_create_nothing()
    {
        var email = new string('a', 300) + "@example.test";

        var response = await _client.PostAsJsonAsync("/users", new { email, password = new string('p', 5000), displayName = new string('d', 500) });

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        await using var scope = app.Services.CreateAsyncScope();
        Assert.False(await scope.ServiceProvider.GetRequiredService<IdentityDb>().Users.AnyAsync(u => u.Email == email));
    }

    [Theory]
    [InlineData("Eve\u001b[2J")]
    [InlineData("Eve\u001b]52;c;cm0gLXJmIH4=\u0007")]
    [InlineData("Eve\u009b8m")]
    [InlineData("Eve\nVerdict: VALID")]
    [InlineData("Eve\u202Egnp.exe")]
    [InlineData("Eve\u2066x\u2069")]
    public async Task A_display_name_with_control_characters_or_bidi_overrides_answers_400_and_creates_nothing(string displayName)
    {
        var email = IdentityClient.NewEmail();

        var response = await _client.PostAsJsonAsync("/users", new { email, password = IdentityClient.Password, displayName });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("displayName", out _));
        await using var scope = app.Services.CreateAsyncScope();
        Assert.False(await scope.ServiceProvider.GetRequiredService<IdentityDb>().Users.AnyAsync(u => u.Email == email));
    }

    [Fact]
    public async Task A_display_name_in_any_script_is_accepted()
    {
        var response = await _client.PostAsJsonAsync("/users", new { email = IdentityClient.NewEmail(), password = IdentityClient.Password, displayName = "Zoë 山田 عائشة" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Unknown_user_wrong_password_deactivated_and_locked_out_logins_get_the_same_401()
    {
        var admin = await _client.LoginAdminAsync();
        var deactivated = IdentityClient.NewEmail();
        var deactivatedUser = await _client.SignUpAsync(deactivated);
        await _client.SendAsync(HttpMethod.Post, $"/admin/users/{deactivatedUser.Id}/deactivate", admin.AccessToken);
        var locked = IdentityClient.NewEmail();
        await _client.SignUpAsync(locked);
        for (var i = 0; i < 5; i++)
            await _client.PostAsJsonAsync("/auth/login", new { email = locked, password = "wrong password " + i });
        var wrong = IdentityClient.NewEmail();
        await _client.SignUpAsync(wrong);

        var bodies = new List<string>();
        foreach (var (email, password) in new[]
                 {
                     (IdentityClient.NewEmail(), IdentityClient.Password), (wrong, "not the password at all"),
                     (deactivated, IdentityClient.Password), (locked, IdentityClient.Password),
                 })
        {
            var response = await _client.PostAsJsonAsync("/auth/login", new { email, password });
            await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
            bodies.Add(await response.Content.ReadAsStringAsync());
        }

        Assert.Single(bodies.Select(b => System.Text.RegularExpressions.Regex.Replace(b, "\"traceId\":\"[^\"]*\"", "")).Distinct());
    }

    [Fact]
    public async Task Passwords_are_hashed_with_pbkdf2_at_600000_iterations_or_more()
    {
        var user = await _client.SignUpAsync(IdentityClient.NewEmail());

        await using var scope = app.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<UserManager<User>>().FindByIdAsync(user.Id.ToString());
        var hash = Convert.FromBase64String(stored!.PasswordHash!);
        Assert.Equal(0x01, hash[0]); // ASP.NET Core Identity v3 format: PBKDF2 with the iteration count stored
        Assert.True(BinaryPrimitives.ReadUInt32BigEndian(hash.AsSpan(5, 4)) >= 600_000);
    }

    [Fact]
    public async Task Changing_the_password_keeps_this_session_and_revokes_the_others()
    {
        var email = IdentityClient.NewEmail();
        var user = await _client.SignUpAsync(email);
        var current = await _client.LoginAsync(email);
        var other = await _client.LoginAsync(email);
        const string newPassword = "an entirely new passphrase 8";

        var wrong = await _client.SendAsync(HttpMethod.Post, "/auth/password/change", current.AccessToken, new { currentPassword = "not it at all!", newPassword });
        var response = await _client.SendAsync(HttpMethod.Post, "/auth/password/change", current.AccessToken, new { currentPassword = IdentityClient.Password, newPassword });

        await wrong.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(HttpMethod.Get, "/users/me", current.AccessToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _client.SendAsync(HttpMethod.Get, "/users/me", other.AccessToken)).StatusCode);
        var otherSid = Jwks.Read(other.AccessToken).GetClaim("sid").Value;
        await app.Events.WaitForAsync<SessionRevoked>(e => e.SessionId.ToString() == otherSid && e.Reason == "password-change" && e.UserId == user.Id);
        await _client.LoginAsync(email, newPassword);
    }

    [Fact]
    public async Task Forgot_password_answers_202_for_anyone_and_reset_revokes_every_session()
    {
        var email = IdentityClient.NewEmail();
        var user = await _client.SignUpAsync(email);
        var session = await _client.LoginAsync(email);

        var unknown = await _client.PostAsJsonAsync("/auth/password/forgot", new { email = IdentityClient.NewEmail() });
        var known = await _client.PostAsJsonAsync("/auth/password/forgot", new { email });

        Assert.Equal(HttpStatusCode.Accepted, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, known.StatusCode);
        await app.Events.WaitForAsync<PasswordResetRequested>(e => e.UserId == user.Id);
        using var mail = MailCatcher.Shared();
        var token = await mail.WaitForResetTokenAsync(email);
        const string newPassword = "reset passphrase number 9";
        var badToken = await _client.PostAsJsonAsync("/auth/password/reset", new { email, token = "bogus", newPassword });
        var reset = await _client.PostAsJsonAsync("/auth/password/reset", new { email, token, newPassword });
        var reused = await _client.PostAsJsonAsync("/auth/password/reset", new { email, token, newPassword = "yet another passphrase 10" });

        await badToken.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        await reused.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _client.SendAsync(HttpMethod.Get, "/users/me", session.AccessToken)).StatusCode);
        await app.Events.WaitForAsync<SessionRevoked>(e => e.UserId == user.Id && e.Reason == "password-reset");
        await _client.LoginAsync(email, newPassword);
    }
}
