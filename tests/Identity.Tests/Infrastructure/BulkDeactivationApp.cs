using Microsoft.AspNetCore.Identity;

namespace Platform.Identity.Tests.Infrastructure;

/// <summary>
/// Identity with cheap password hashing and the rate limits out of the way, so a test can sign up and log in dozens
/// of users and race hundreds of deactivations in seconds; the bulk maximum is lowered so a list over it stays small.
/// The locking, the session rules and the outbox are the production ones.
/// </summary>
public sealed class BulkDeactivationApp : IdentityApp
{
    public const int MaxBulkDeactivation = 50;

    protected override void Configure(IWebHostBuilder builder)
    {
        builder.UseSetting("Identity:RateLimit:PermitLimit", "1000000");
        builder.UseSetting("Identity:RateLimit:PasswordPermitLimit", "1000000");
        builder.UseSetting("Identity:Admin:MaxBulkDeactivation", MaxBulkDeactivation.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.ConfigureTestServices(services => services.Configure<PasswordHasherOptions>(hasher => hasher.IterationCount = 1_000));
    }

    /// <summary>Users written straight to the database, active, without a password: for tests that never log them in.</summary>
    public async Task<Guid[]> SeedUsersAsync(int count)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
        var users = Enumerable.Range(0, count).Select(_ => NewUser()).ToList();
        db.Users.AddRange(users);
        await db.SaveChangesAsync();
        return [.. users.Select(u => u.Id)];
    }

    private static User NewUser()
    {
        var email = IdentityClient.NewEmail();
        return new User
        {
            Id = Guid.CreateVersion7(),
            Email = email,
            NormalizedEmail = email.ToUpperInvariant(),
            UserName = email,
            NormalizedUserName = email.ToUpperInvariant(),
            SecurityStamp = Guid.NewGuid().ToString("N"),
            ConcurrencyStamp = Guid.NewGuid().ToString(),
            CreatedAt = DateTimeOffset.UtcNow,
        };
    }
}
