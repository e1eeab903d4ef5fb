namespace Platform.Identity.Tests.PasswordHashing;

/// <summary>A hashing gate that would let nothing through, queue without bound or hold threads for long refuses to start.</summary>
public sealed class PasswordHashingSettingsTests(IdentityApp app) : IClassFixture<IdentityApp>
{
    [Theory]
    [InlineData("MaxConcurrency", "0")]
    [InlineData("MaxConcurrency", "5000")]
    [InlineData("QueueLimit", "-1")]
    [InlineData("QueueLimit", "20000")]
    [InlineData("MaxWait", "00:00:00")]
    [InlineData("MaxWait", "00:05:00")]
    public void An_unsafe_setting_refuses_to_start_and_names_the_setting(string setting, string value)
    {
        using var misconfigured = app.WithWebHostBuilder(builder => builder.UseSetting($"Identity:PasswordHashing:{setting}", value));

        var error = Assert.ThrowsAny<Exception>(() => misconfigured.Server);

        Assert.Contains($"Identity:PasswordHashing:{setting} (Identity__PasswordHashing__{setting}) must be", error.ToString(), StringComparison.Ordinal);
    }
}
