using static Platform.EndToEnd.Tests.Scenarios.ScenarioSupport;

namespace Platform.EndToEnd.Tests.Scenarios;

/// <summary>No password, token or part of one in anything the services print, even at debug level.</summary>
[Collection(FaultStackCollection.Name)]
public sealed class LogHygieneTests(ITestOutputHelper output)
{
    private static readonly StackOptions Verbose = new()
    {
        CommonSettings = new Dictionary<string, string> { ["Logging__LogLevel__Default"] = "Debug" },
    };

    [SkippableFact]
    public async Task No_password_token_or_token_part_appears_in_any_service_output_line_at_debug_level()
    {
        await using var stack = await PlatformStack.StartOwnAsync(Verbose);
        await using var observer = await stack.ObserveEventsAsync();
        using var identity = stack.CreateIdentityClient();
        using var orders = stack.CreateOrdersClient();
        var secrets = new List<(string Kind, string Value)>();
        var (email, password) = NewUser("canary");
        var canary = "Canary-" + password;
        var replacement = "Canary-reset-" + password;
        secrets.AddRange([("password", canary), ("new password", replacement), ("wrong password", canary + "-wrong")]);

        var user = await identity.SignUpAsync(email, canary);
        using (await identity.TryLoginAsync(email, canary + "-wrong")) { }
        var login = await identity.LoginAsync(email, canary);
        var refreshed = await identity.RefreshAsync(login.RefreshToken);
        await orders.PlaceAsync(refreshed.AccessToken);
        await identity.LogoutAsync(refreshed.AccessToken);
        await WaitUntilRejectedAsync(orders, refreshed.AccessToken, "after logout");
        await identity.ForgotPasswordAsync(email);
        await observer.WaitForAsync<PasswordResetRequested>(e => e.UserId == user.Id, TimeSpan.FromSeconds(30));
        using var mail = MailCatcher.Shared();
        var resetToken = await mail.WaitForResetTokenAsync(email, TimeSpan.FromSeconds(30));
        await identity.ResetPasswordAsync(email, resetToken, replacement);
        var after = await identity.LoginAsync(email, replacement);
        await orders.PlaceAsync(after.AccessToken);
        foreach (var tokens in new[] { login, refreshed, after })
        {
            secrets.AddRange([("access token", tokens.AccessToken), ("access token signature", TokenParts.SignatureOf(tokens.AccessToken)),
                ("refresh token", tokens.RefreshToken)]);
        }

        secrets.Add(("reset token", resetToken));
        secrets.Add(("JWT-looking text (eyJ)", "eyJ"));
        // Lines written during the last requests may still be on their way through the pipes.
        await Task.Delay(TimeSpan.FromSeconds(1));

        var services = stack.Identity!.Instances.Append(stack.Orders!).ToList();
        foreach (var service in services)
            Assert.True(service.Output.Any(line => line.StartsWith("dbug:", StringComparison.Ordinal)),
                $"{service.Name} printed no debug line, so the search would prove nothing");
        // The finding names the secret's kind and where it is, never the secret or the line itself.
        var findings = services
            .SelectMany(service => service.Output.Select((line, index) => (service.Name, Line: index + 1, Text: line)))
            .SelectMany(line => secrets.Where(s => line.Text.Contains(s.Value, StringComparison.Ordinal))
                .Select(s => $"{s.Kind} in {line.Name} output line {line.Line}"))
            .Distinct()
            .ToList();
        Assert.True(findings.Count == 0, "secrets in service output: " + string.Join("; ", findings.Take(20)));

        var lines = services.Sum(s => s.Output.Count);
        Summary(output, $"log hygiene: {lines} lines of Identity and Orders output at debug level searched for {secrets.Count} secrets " +
            "(passwords, access, refresh and reset tokens, signatures, eyJ): none found");
    }
}
