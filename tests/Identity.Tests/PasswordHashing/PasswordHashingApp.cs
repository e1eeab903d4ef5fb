namespace Platform.Identity.Tests.PasswordHashing;

/// <summary>
/// Identity that hashes one password at a time (with the production 600 000 iterations), so a handful of logins is
/// already a storm; queued logins wait up to a minute, so a slow shared machine refuses none unless a test asks.
/// </summary>
public sealed class PasswordHashingApp : IdentityApp
{
    protected override void Configure(IWebHostBuilder builder)
    {
        builder.UseSetting("Identity:PasswordHashing:MaxConcurrency", "1");
        builder.UseSetting("Identity:PasswordHashing:QueueLimit", "64");
        builder.UseSetting("Identity:PasswordHashing:MaxWait", "00:01:00");
    }
}
