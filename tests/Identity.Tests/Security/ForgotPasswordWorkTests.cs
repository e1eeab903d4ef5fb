namespace Platform.Identity.Tests.Security;

/// <summary>
/// Forgot-password must not reveal which addresses have accounts by how long it takes. Rather than time it, these
/// tests check the mechanism: every address costs a reset token and one outbox row of the same size.
/// </summary>
public sealed class ForgotPasswordWorkTests(IdentityApp app) : IClassFixture<IdentityApp>
{
    private readonly HttpClient _client = app.CreateClient();

    [Fact]
    public async Task Known_unknown_and_deactivated_addresses_each_cost_a_reset_token_and_one_outbox_row_of_the_same_size()
    {
        var knownEmail = IdentityClient.NewEmail();
        var known = await _client.SignUpAsync(knownEmail);
        var deactivatedEmail = IdentityClient.NewEmail();
        var deactivated = await _client.SignUpAsync(deactivatedEmail);
        var admin = await _client.LoginAdminAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await _client.SendAsync(HttpMethod.Post, $"/admin/users/{deactivated.Id}/deactivate", admin.AccessToken)).StatusCode);

        var knownRow = await ForgotAsync(knownEmail);
        var unknownRow = await ForgotAsync(IdentityClient.NewEmail());
        var deactivatedRow = await ForgotAsync(deactivatedEmail);

        var knownRequest = Payload(knownRow);
        Assert.Equal(known.Id, knownRequest.UserId);
        var published = await app.Events.WaitForAsync<PasswordResetRequested>(e => e.UserId == known.Id);
        Assert.Equal(knownRequest.ResetToken, published.ResetToken);
        foreach (var row in new[] { unknownRow, deactivatedRow })
        {
            var request = Payload(row);
            Assert.Equal(knownRow.Type, row.Type);
            Assert.Equal(knownRequest.ResetToken.Length, request.ResetToken.Length);
            Assert.NotEqual(knownRequest.ResetToken, request.ResetToken);
            Assert.NotEqual(deactivated.Id, request.UserId);
            Assert.Equal("", request.Email);
            // Written settled, so the dispatcher never publishes it.
            Assert.NotNull(row.SentAt);
        }
    }

    [Fact]
    public async Task Reset_token_written_for_an_unknown_address_opens_no_account()
    {
        var email = IdentityClient.NewEmail();
        var row = await ForgotAsync(email);
        await _client.SignUpAsync(email);

        var reset = await _client.PostAsJsonAsync("/auth/password/reset", new { email, token = Payload(row).ResetToken, newPassword = "taken over passphrase 11" });

        await reset.AssertProblemAsync(HttpStatusCode.BadRequest);
        await _client.LoginAsync(email);
    }

    /// <summary>Asks for a reset and returns the one outbox row the request wrote.</summary>
    private async Task<OutboxMessage> ForgotAsync(string email)
    {
        var before = await RowIdsAsync();
        var response = await _client.PostAsJsonAsync("/auth/password/forgot", new { email });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
        var written = await db.OutboxMessages.AsNoTracking().Where(m => !before.Contains(m.Id)).ToListAsync();
        return Assert.Single(written);
    }

    private async Task<List<Guid>> RowIdsAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IdentityDb>().OutboxMessages.Select(m => m.Id).ToListAsync();
    }

    private static PasswordResetRequested Payload(OutboxMessage row) => JsonSerializer.Deserialize<PasswordResetRequested>(row.Payload)!;
}
