using Microsoft.AspNetCore.Identity;

namespace Platform.Identity.Tests.Infrastructure;

/// <summary>
/// Identity with cheap password hashing and the rate limits out of the way, so a test can race hundreds of logins
/// against credential changes in seconds. The locking and the session rules are the production ones.
/// </summary>
public sealed class CredentialRaceApp : IdentityApp
{
    protected override void Configure(IWebHostBuilder builder)
    {
        builder.UseSetting("Identity:RateLimit:PermitLimit", "1000000");
        builder.UseSetting("Identity:RateLimit:PasswordPermitLimit", "1000000");
        builder.ConfigureTestServices(services => services.Configure<PasswordHasherOptions>(hasher => hasher.IterationCount = 1_000));
    }
}
