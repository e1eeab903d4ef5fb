using Microsoft.AspNetCore.Identity;

namespace Platform.Identity.Tests.Infrastructure;

/// <summary>
/// Identity with cheap password hashing, so tests that send dozens of guesses at once finish in seconds on a small
/// machine. Only the cost changes: the lockout and rate-limit rules are the production ones.
/// </summary>
public sealed class FastHashApp : IdentityApp
{
    protected override void Configure(IWebHostBuilder builder) =>
        builder.ConfigureTestServices(services => services.Configure<PasswordHasherOptions>(hasher => hasher.IterationCount = 1_000));
}
