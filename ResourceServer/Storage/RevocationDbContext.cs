using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Platform.ResourceServer.Storage;

/// <summary>
/// The library's own table in the service's database, with its own migrations history, so an API that uses the
/// library never has to know about it in its own model.
/// </summary>
public sealed class RevocationDbContext(DbContextOptions<RevocationDbContext> options) : DbContext(options)
{
    internal const string MigrationsHistoryTable = "__resource_server_migrations";

    public DbSet<PersistedRevocation> Revocations => Set<PersistedRevocation>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        var revocation = modelBuilder.Entity<PersistedRevocation>();
        revocation.ToTable("resource_server_revocations");
        revocation.HasKey(r => new { r.Kind, r.SubjectId });
        revocation.Property(r => r.Kind).HasColumnName("kind").HasMaxLength(16);
        revocation.Property(r => r.SubjectId).HasColumnName("subject_id");
        revocation.Property(r => r.UserId).HasColumnName("user_id");
        revocation.Property(r => r.RevokedAt).HasColumnName("revoked_at");
        revocation.Property(r => r.ExpiresAt).HasColumnName("expires_at");
        revocation.HasIndex(r => r.ExpiresAt);
    }
}

/// <summary>One revoked user (<see cref="RevocationKinds.User"/>) or session, kept until no token it covers can be valid.</summary>
public sealed class PersistedRevocation
{
    public required string Kind { get; init; }

    /// <summary>The user id for a deactivation, the session id for a session.</summary>
    public Guid SubjectId { get; init; }

    public Guid UserId { get; init; }

    public DateTimeOffset RevokedAt { get; init; }

    public DateTimeOffset ExpiresAt { get; init; }
}

public static class RevocationKinds
{
    public const string User = "user";
    public const string Session = "session";
}

/// <summary>Lets 'dotnet ef migrations add' build the model without a running service or its configuration.</summary>
internal sealed class RevocationDbContextDesignFactory : IDesignTimeDbContextFactory<RevocationDbContext>
{
    public RevocationDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<RevocationDbContext>()
            .UseNpgsql("Host=localhost", npgsql => npgsql.MigrationsHistoryTable(RevocationDbContext.MigrationsHistoryTable))
            .Options);
}
