using System.Buffers.Text;

namespace Platform.Identity.Accounts;

/// <summary>Creates the first operator when no admin exists, so a fresh installation can be administered.</summary>
/// <remarks>
/// Instances starting together on a fresh database take turns under one advisory lock: the first creates the roles and
/// the operator, the others find them. Only the instance that created the operator writes its generated password.
/// </remarks>
internal static partial class BootstrapAdmin
{
    // Any constant works, as long as nothing else in the database uses it (the key steps and operator changes have their own).
    private const long BootstrapLockId = 0x1D_E7_B0_07_5A;

    public static async Task EnsureAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<IdentityDb>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({BootstrapLockId})", cancellationToken);

        var roles = services.GetRequiredService<RoleManager<IdentityRole<Guid>>>();
        foreach (var role in Roles.Known)
        {
            if (!await roles.RoleExistsAsync(role))
                Check(await roles.CreateAsync(new IdentityRole<Guid>(role) { Id = Guid.CreateVersion7() }), "create role " + role);
        }

        var users = services.GetRequiredService<UserManager<User>>();
        if ((await users.GetUsersInRoleAsync(Roles.Admin)).Count > 0)
        {
            await transaction.CommitAsync(cancellationToken);
            return;
        }

        var settings = services.GetRequiredService<IOptions<IdentityServiceOptions>>().Value;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(BootstrapAdmin));
        var email = settings.BootstrapAdmin.Email;
        if (await users.FindByEmailAsync(email) is not null)
        {
            // Promoting an existing account would hand admin to whoever signed up with that address first.
            LogEmailTaken(logger);
            await transaction.CommitAsync(cancellationToken);
            return;
        }

        var configured = settings.BootstrapAdmin.Password;
        var generated = string.IsNullOrEmpty(configured);
        var password = string.IsNullOrEmpty(configured) ? Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(24)) : configured;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var admin = new User { Id = Guid.CreateVersion7(now), UserName = email, Email = email, DisplayName = "Operator", CreatedAt = now };
        Check(await users.CreateAsync(admin, password), "create the bootstrap operator (Identity:BootstrapAdmin)");
        Check(await users.AddToRoleAsync(admin, Roles.Admin), "make the bootstrap operator an admin");

        string? passwordFile = null;
        if (generated)
        {
            // Written before the commit: if the commit fails, the next start creates the operator again and rewrites it.
            Directory.CreateDirectory(settings.DataDirectory);
            passwordFile = Path.Combine(settings.DataDirectory, "bootstrap-admin-password");
            File.Delete(passwordFile);
            FileSecrets.WriteOnce(passwordFile, password + "\n");
        }

        await transaction.CommitAsync(cancellationToken);
        LogCreated(logger, email, passwordFile is null ? "" : "; its generated password is in " + passwordFile);
    }

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException($"Could not {what}: {string.Join(" ", result.Errors.Select(e => e.Description))}");
    }

    [LoggerMessage(LogLevel.Warning, "No admin exists and the bootstrap operator's e-mail belongs to an ordinary account; no operator created.")]
    private static partial void LogEmailTaken(ILogger logger);

    [LoggerMessage(LogLevel.Information, "Bootstrap operator {Email} created{Where}")]
    private static partial void LogCreated(ILogger logger, string email, string where);
}
