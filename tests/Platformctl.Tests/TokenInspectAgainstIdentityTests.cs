using Microsoft.Extensions.Time.Testing;

namespace Platform.Platformctl.Tests;

/// <summary>token inspect against Identity's live discovery document and JWKS, and its admin API for revocation.</summary>
[Collection(IdentityCollection.Name)]
public sealed class TokenInspectAgainstIdentityTests(IdentityFixture identity)
{
    [Fact]
    public async Task A_fresh_token_is_valid_and_its_revocation_is_checked_with_operator_credentials()
    {
        var user = await identity.NewUserAsync();

        var result = await identity.Operator().RunAsync("token inspect", stdin: user.AccessToken);

        result.ExitsWith(ExitCodes.Success);
        Assert.Contains("VALID", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Revocation: checked", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_operator_credentials_a_fresh_token_is_valid_but_revocation_is_not_checked()
    {
        var user = await identity.NewUserAsync();

        var result = await identity.Anonymous().RunAsync("token inspect", stdin: user.AccessToken);

        result.ExitsWith(ExitCodes.Success);
        Assert.Contains("Revocation: not checked", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_a_wrong_operator_password_a_valid_token_stays_valid_and_the_revocation_check_is_reported_impossible()
    {
        var user = await identity.NewUserAsync();
        var tool = identity.Operator().With("PLATFORM_OPERATOR_PASSWORD", "not the operator's passphrase");

        var result = await tool.RunAsync("token inspect", stdin: user.AccessToken);

        result.ExitsWith(ExitCodes.Success);
        Assert.Contains("Revocation: could not check", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tampered_token_has_an_invalid_signature()
    {
        var user = await identity.NewUserAsync();
        var tampered = SigningKey.Tamper(user.AccessToken, "sub", Guid.NewGuid().ToString());

        var result = await identity.Anonymous().RunAsync("token inspect", stdin: tampered);

        result.ExitsWith(ExitCodes.TokenInvalid);
        Assert.Contains("signature", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_judged_after_its_lifetime_is_expired()
    {
        var user = await identity.NewUserAsync();
        var tool = identity.Anonymous();
        tool.Time = new FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(1));

        var result = await tool.RunAsync("token inspect", stdin: user.AccessToken);

        result.ExitsWith(ExitCodes.TokenExpired);
    }

    [Theory]
    [InlineData("users deactivate {user}", "deactivated")]
    [InlineData("sessions revoke {session}", "session")]
    public async Task The_token_of_a_deactivated_user_or_a_revoked_session_is_revoked(string revocation, string reason)
    {
        var user = await identity.NewUserAsync();
        var tool = identity.Operator();
        var command = revocation.Replace("{user}", user.Id.ToString(), StringComparison.Ordinal)
            .Replace("{session}", OperatorCommandsTests.SessionOf(user.AccessToken), StringComparison.Ordinal);
        (await tool.RunAsync(command)).ExitsWith(ExitCodes.Success);

        var result = await tool.RunAsync("token inspect", stdin: user.AccessToken);

        result.ExitsWith(ExitCodes.TokenRevoked);
        Assert.Contains(reason, result.Stdout, StringComparison.Ordinal);
    }
}
