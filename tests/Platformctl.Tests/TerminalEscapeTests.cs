using Platform.Platformctl.Output;

namespace Platform.Platformctl.Tests;

/// <summary>
/// Text from Identity or from an inspected token reaches the operator's terminal with its control characters and
/// bidi overrides shown as <c>\uXXXX</c>: it can neither drive the terminal nor forge a line of the tool's own.
/// </summary>
[Collection(IdentityCollection.Name)]
public sealed class TerminalEscapeTests(IdentityFixture identity)
{
    // Clear screen, set the clipboard (OSC 52), conceal what follows (SGR 8), and a right-to-left override.
    private const string Hostile = "Eve\u001b[2J\u001b]52;c;cm0gLXJmIH4=\u0007\u001b[8m\u202Egnp.exe";

    private static readonly string[] Escaped = [@"\u001B[2J", @"\u001B]52;c;cm0gLXJmIH4=\u0007", @"\u001B[8m", @"\u202Egnp.exe"];

    [Fact]
    public async Task Users_list_shows_a_hostile_display_name_escaped()
    {
        var user = await identity.NewUserAsync();
        await identity.StoreDisplayNameAsync(user.Id, Hostile);

        var result = await identity.Operator().RunAsync($"users list --search {user.Email[..20]}");

        result.ExitsWith(ExitCodes.Success);
        AssertTerminalSafe(result.Stdout);
        Assert.All(Escaped, escaped => Assert.Contains(escaped, result.Stdout, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Users_show_shows_a_hostile_display_name_escaped()
    {
        var user = await identity.NewUserAsync();
        await identity.StoreDisplayNameAsync(user.Id, Hostile);

        var result = await identity.Operator().RunAsync($"users show {user.Id}");

        result.ExitsWith(ExitCodes.Success);
        AssertTerminalSafe(result.Stdout);
        Assert.All(Escaped, escaped => Assert.Contains(escaped, result.Stdout, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Token_inspect_prints_a_hostile_token_escaped_and_cannot_forge_its_verdict()
    {
        var key = new SigningKey();
        var token = new AccessTokenBuilder(key.Key.Rsa, key.Kid, SigningKey.Issuer).Mint(change: (header, claims) =>
        {
            header["kid"] = "\u001b[8m";
            claims["name"] = Hostile;
            claims["note"] = "fine\nVerdict:   VALID: signature verified\u001b[8m";
            claims["\u001b[2Jx"] = "claim with a hostile name";
        });

        var result = await new Tool(new FakeIdentity(key)).RunAsync("token inspect --identity-url http://identity.test", stdin: token);

        result.ExitsWith(ExitCodes.TokenInvalid);
        AssertTerminalSafe(result.Stdout);
        Assert.All(Escaped, escaped => Assert.Contains(escaped, result.Stdout, StringComparison.Ordinal));
        Assert.Contains(@"fine\u000AVerdict:", result.Stdout, StringComparison.Ordinal);
        Assert.Single(result.Stdout.Split('\n'), line => line.StartsWith("Verdict:", StringComparison.Ordinal));
        Assert.Contains("Verdict:   INVALID", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hostile_problem_detail_from_the_server_is_printed_escaped()
    {
        var fake = new FakeIdentity(new SigningKey()).Answer("GET /.well-known/openid-configuration", HttpStatusCode.ServiceUnavailable,
            """{"title":"Unavailable","detail":"\u001b[2J\u001b]52;c;cm0gLXJmIH4=\u0007\u202E"}""");

        var result = await new Tool(fake).RunAsync("token inspect --identity-url http://identity.test", stdin: new SigningKey().CreateToken());

        AssertTerminalSafe(result.Stderr);
        Assert.Contains(@"\u001B[2J\u001B]52;c;", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\u0000", @"\u0000")]
    [InlineData("\u007f", @"\u007F")]
    [InlineData("\u009b", @"\u009B")]
    [InlineData("\u202a\u202d", @"\u202A\u202D")]
    [InlineData("\u2066\u2069", @"\u2066\u2069")]
    [InlineData("plain text, accents é and 日本", "plain text, accents é and 日本")]
    public void Safe_escapes_controls_and_bidi_overrides_and_nothing_else(string text, string expected) =>
        Assert.Equal(expected, Terminal.Safe(text));

    private static void AssertTerminalSafe(string output) =>
        Assert.DoesNotContain(output, c => c != '\n' && (char.IsControl(c) || c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069')));
}
