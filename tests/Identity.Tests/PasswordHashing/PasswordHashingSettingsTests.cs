namespace Platform.Identity.Tests.PasswordHashing;

/// <summary>
/// A hashing gate that would let nothing through, queue without bound or hold threads for long refuses to start; one
/// that starts leaves threads free beside its turns.
/// </summary>
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

    [Fact]
    public void A_started_identity_keeps_a_thread_per_core_free_beside_every_hashing_turn()
    {
        // More turns than anything else in this process asks for, so only this start can have raised the minimum.
        const int Turns = 1000;
        using var started = app.WithWebHostBuilder(builder => builder.UseSetting("Identity:PasswordHashing:MaxConcurrency", $"{Turns}"));

        _ = started.Server;

        ThreadPool.GetMinThreads(out var workers, out _);
        Assert.True(workers >= Turns + Environment.ProcessorCount, $"the pool starts {workers} threads without waiting; {Turns} can be hashing");
    }
}
