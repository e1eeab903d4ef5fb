using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;

namespace Platform.Identity.Data;

public sealed class IdentityDb(DbContextOptions<IdentityDb> options)
    : IdentityDbContext<User, IdentityRole<Guid>, Guid>(options), IDataProtectionKeyContext
{
    /// <summary>The key ring protecting reset tokens, shared by every instance; each key's secret is KEK-encrypted.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<Session> Sessions => Set<Session>();

    public DbSet<RefreshToken> RefreshTokens => Set<RefreshToken>();

    public DbSet<SigningKey> SigningKeys => Set<SigningKey>();

    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    public DbSet<AuditRecord> AuditRecords => Set<AuditRecord>();

    public DbSet<LoginThrottle> LoginThrottles => Set<LoginThrottle>();

    public DbSet<OutgoingMail> MailMessages => Set<OutgoingMail>();

    public DbSet<RateLimitWindow> RateLimitWindows => Set<RateLimitWindow>();

    public DbSet<ServiceClient> ServiceClients => Set<ServiceClient>();

    public DbSet<RevocationReceipt> RevocationReceipts => Set<RevocationReceipt>();

    public DbSet<ApiInstance> ApiInstances => Set<ApiInstance>();

    public DbSet<SsfStreamConfig> SsfStreams => Set<SsfStreamConfig>();

    public DbSet<SsfDelivery> SsfDeliveries => Set<SsfDelivery>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        builder.Entity<User>(user =>
        {
            user.Property(u => u.DisplayName).HasMaxLength(100);
            // The catch-up's keyset order.
            user.HasIndex(u => new { u.DeactivatedAt, u.Id });
        });

        builder.Entity<Session>(session =>
        {
            session.HasOne<User>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
            session.Property(s => s.RevokedReason).HasMaxLength(32);
            session.HasIndex(s => s.UserId);
            session.HasIndex(s => new { s.RevokedAt, s.Id });
        });

        builder.Entity<RefreshToken>(token =>
        {
            token.HasKey(t => t.Hash);
            token.HasOne<Session>().WithMany().HasForeignKey(t => t.SessionId).OnDelete(DeleteBehavior.Cascade);
            token.HasIndex(t => t.SessionId);
        });

        builder.Entity<SigningKey>(key =>
        {
            key.Property(k => k.Id).HasMaxLength(64);
            key.HasIndex(k => k.ActivatesAt);
        });

        builder.Entity<OutboxMessage>(message =>
        {
            message.Property(m => m.Type).HasMaxLength(100);
            message.Property(m => m.Payload).HasColumnType("jsonb");
            message.Property(m => m.TraceParent).HasMaxLength(55);
            message.Property(m => m.LastError).HasMaxLength(OutboxMessage.MaxErrorLength);
            message.HasIndex(m => m.CreatedAt).HasFilter("\"SentAt\" IS NULL");
            message.HasIndex(m => m.SentAt);
        });

        builder.Entity<OutgoingMail>(mail =>
        {
            mail.ToTable("MailMessages");
            mail.Property(m => m.Recipient).HasMaxLength(256);
            mail.HasIndex(m => m.CreatedAt).HasFilter("\"EncryptedToken\" IS NOT NULL");
        });

        builder.Entity<AuditRecord>(audit =>
        {
            audit.Property(a => a.Action).HasMaxLength(64);
            audit.Property(a => a.Target).HasMaxLength(100);
            audit.Property(a => a.Reason).HasMaxLength(500);
            audit.HasIndex(a => new { a.TargetUserId, a.At });
        });

        builder.Entity<LoginThrottle>(throttle =>
        {
            throttle.HasKey(t => new { t.UserId, t.Network });
            throttle.HasOne<User>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
            throttle.Property(t => t.Network).HasMaxLength(64);
            throttle.HasIndex(t => t.LastFailureAt);
        });

        builder.Entity<ServiceClient>(client =>
        {
            client.Property(c => c.Name).HasMaxLength(100);
            client.Property(c => c.SecretHash).HasMaxLength(32);
            client.Ignore(c => c.ClientId);
            // The catch-up's keyset order, as for deactivated users.
            client.HasIndex(c => new { c.DisabledAt, c.Id });
        });

        builder.Entity<RateLimitWindow>(window =>
        {
            window.HasKey(w => w.Key);
            window.Property(w => w.Key).HasMaxLength(32);
            window.HasIndex(w => w.EndsAt);
        });

        builder.Entity<RevocationReceipt>(receipt =>
        {
            receipt.HasKey(r => new { r.EventId, r.InstanceId });
            receipt.Property(r => r.InstanceId).HasMaxLength(ApiInstance.MaxIdLength);
            receipt.HasIndex(r => r.ReceivedAt);
        });

        builder.Entity<ApiInstance>(instance =>
        {
            instance.Property(i => i.Id).HasMaxLength(ApiInstance.MaxIdLength);
            instance.Property(i => i.Service).HasMaxLength(ApiInstance.MaxServiceLength);
            instance.HasIndex(i => i.LastSeenAt);
        });

        builder.Entity<SsfStreamConfig>(stream =>
        {
            stream.ToTable("SsfStreams");
            stream.Property(s => s.ClientId).HasMaxLength(100);
            stream.Property(s => s.DeliveryMethod).HasMaxLength(32);
            stream.Property(s => s.EndpointUrl).HasMaxLength(SsfStreamConfig.MaxEndpointLength);
            stream.Property(s => s.Description).HasMaxLength(SsfStreamConfig.MaxDescriptionLength);
            stream.Property(s => s.Status).HasMaxLength(16);
            stream.Property(s => s.StatusReason).HasMaxLength(SsfStreamConfig.MaxDescriptionLength);
            stream.Property(s => s.LastError).HasMaxLength(SsfStreamConfig.MaxErrorLength);
            stream.HasIndex(s => s.ClientId);
        });

        builder.Entity<SsfDelivery>(delivery =>
        {
            delivery.HasOne<SsfStreamConfig>().WithMany().HasForeignKey(d => d.StreamId).OnDelete(DeleteBehavior.Cascade);
            delivery.Property(d => d.EventType).HasMaxLength(200);
            delivery.Property(d => d.Payload).HasColumnType("jsonb");
            delivery.Property(d => d.LastError).HasMaxLength(SsfStreamConfig.MaxErrorLength);
            // What the push dispatcher and a poll look for: a stream's waiting SETs, oldest first.
            delivery.HasIndex(d => new { d.StreamId, d.CreatedAt }).HasFilter("\"DeliveredAt\" IS NULL AND \"FailedAt\" IS NULL");
            delivery.HasIndex(d => d.CreatedAt);
        });
    }
}
