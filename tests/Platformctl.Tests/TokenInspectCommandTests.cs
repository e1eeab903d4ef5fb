namespace Platform.Platformctl.Tests;

/// <summary>token inspect against a stand-in Identity whose JWKS the test controls.</summary>
public sealed class TokenInspectCommandTests
{
    private const string Url = "--identity-url http://identity.test";
    private readonly SigningKey _key = new();

    [Fact]
    public async Task A_valid_token_read_from_standard_input_is_reported_valid_with_its_claims()
    {
        var identity = new FakeIdentity(_key);
        var token = _key.CreateToken();

        var result = await new Tool(identity).RunAsync($"token inspect {Url}", stdin: token + "\n");

        result.ExitsWith(ExitCodes.Success);
        Assert.Contains("VALID", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("sid:", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Revocation: not checked", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_token_is_never_sent_to_identity()
    {
        var identity = new FakeIdentity(_key);
        var token = _key.CreateToken();

        await new Tool(identity).RunAsync($"token inspect {token} {Url}");

        Assert.NotEmpty(identity.Requests);
        Assert.All(identity.Requests, r =>
        {
            Assert.Null(r.Authorization);
            Assert.DoesNotContain(token.Split('.')[2], r.Request + r.Body, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task A_tampered_token_exits_with_the_invalid_code()
    {
        var tampered = SigningKey.Tamper(_key.CreateToken(), "scope", "admin");

        var result = await new Tool(new FakeIdentity(_key)).RunAsync($"token inspect {tampered} {Url}");

        result.ExitsWith(ExitCodes.TokenInvalid);
        Assert.Contains("INVALID", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_expired_token_exits_with_the_expired_code()
    {
        var token = _key.CreateToken(issuedAt: DateTimeOffset.UtcNow.AddHours(-1));

        var result = await new Tool(new FakeIdentity(_key)).RunAsync($"token inspect {token} {Url}");

        result.ExitsWith(ExitCodes.TokenExpired);
        Assert.Contains("EXPIRED", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Input_that_is_not_a_jwt_is_invalid_and_not_echoed()
    {
        var result = await new Tool(new FakeIdentity(_key)).RunAsync($"token inspect {Url}", stdin: "secret-looking-garbage");

        result.ExitsWith(ExitCodes.TokenInvalid);
        Assert.DoesNotContain("secret-looking-garbage", result.All, StringComparison.Ordinal);
    }
}
