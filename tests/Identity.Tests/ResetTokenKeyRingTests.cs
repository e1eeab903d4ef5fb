namespace Platform.Identity.Tests;

/// <summary>Reset tokens are protected by a key ring kept, KEK-encrypted, in Identity's database and shared by every instance.</summary>
public sealed class ResetTokenKeyRingTests(IdentityApp app) : IClassFixture<IdentityApp>, IAsyncLifetime
{
    private readonly PeerIdentityApp _peer = new(app);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _peer.DisposeAsync();

    [Fact]
    public async Task Two_instances_on_one_database_accept_each_others_reset_tokens()
    {
        using var first = app.CreateClient();
        using var second = _peer.CreateClient();

        Assert.Equal(HttpStatusCode.NoContent, await ResetAsync(issuer: first, redeemer: second));
        Assert.Equal(HttpStatusCode.NoContent, await ResetAsync(issuer: second, redeemer: first));
    }

    [Fact]
    public async Task Key_ring_is_one_key_in_the_database_with_its_secret_encrypted_and_nothing_on_disk()
    {
        using var second = _peer.CreateClient();
        await ResetAsync(issuer: second, redeemer: second);

        await using var scope = app.Services.CreateAsyncScope();
        var keys = await scope.ServiceProvider.GetRequiredService<IdentityDb>().DataProtectionKeys.AsNoTracking().ToListAsync();

        // One key: the instances did not each create their own.
        var xml = Assert.Single(keys).Xml!;
        Assert.Contains("<encryptedSecret", xml, StringComparison.Ordinal);
        Assert.Contains("KeyRingDecryptor", xml, StringComparison.Ordinal);
        Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(app.DataDirectory, "data-protection-keys")));
        Assert.False(Directory.Exists(Path.Combine(_peer.DataDirectory, "data-protection-keys")));
    }

    /// <summary>A new user asks <paramref name="issuer"/> for a reset token and redeems it at <paramref name="redeemer"/>.</summary>
    private async Task<HttpStatusCode> ResetAsync(HttpClient issuer, HttpClient redeemer)
    {
        var email = IdentityClient.NewEmail();
        await issuer.SignUpAsync(email);
        Assert.Equal(HttpStatusCode.Accepted, (await issuer.PostAsJsonAsync("/auth/password/forgot", new { email })).StatusCode);
        using var mail = MailCatcher.Shared();
        var token = await mail.WaitForResetTokenAsync(email);

        var newPassword = "reset across instances " + Guid.NewGuid().ToString("N")[..8];
        var reset = await redeemer.PostAsJsonAsync("/auth/password/reset", new { email, token, newPassword });
        if (reset.StatusCode == HttpStatusCode.NoContent)
            await redeemer.LoginAsync(email, newPassword);
        return reset.StatusCode;
    }
}
