using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Platform.Orders.Data;

public sealed class OrdersDbContext(DbContextOptions<OrdersDbContext> options) : DbContext(options)
{
    public DbSet<Order> Orders => Set<Order>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        var order = modelBuilder.Entity<Order>();
        order.ToTable("orders");
        order.HasKey(o => o.Id);
        order.Property(o => o.Id).HasColumnName("id").ValueGeneratedNever();
        order.Property(o => o.UserId).HasColumnName("user_id");
        order.Property(o => o.Status).HasColumnName("status").HasMaxLength(16);
        order.Property(o => o.Total).HasColumnName("total").HasPrecision(18, 2);
        order.Property(o => o.CreatedAt).HasColumnName("created_at");
        order.Property(o => o.CancelledAt).HasColumnName("cancelled_at");
        order.Property(o => o.IdempotencyKey).HasColumnName("idempotency_key").HasMaxLength(200);
        order.Property(o => o.RequestHash).HasColumnName("request_hash").HasMaxLength(64);
        // The database, not a read-then-write in the handler, decides which of two concurrent retries wins.
        order.HasIndex(o => new { o.UserId, o.IdempotencyKey }).IsUnique().HasFilter("idempotency_key IS NOT NULL");
        order.HasIndex(o => new { o.UserId, o.CreatedAt });
        order.OwnsMany(o => o.Items, item =>
        {
            item.ToTable("order_items");
            item.WithOwner().HasForeignKey("order_id");
            item.Property<int>("id");
            item.HasKey("id");
            item.Property(i => i.Sku).HasColumnName("sku").HasMaxLength(64);
            item.Property(i => i.Quantity).HasColumnName("quantity");
            item.Property(i => i.UnitPrice).HasColumnName("unit_price").HasPrecision(12, 2);
        });
    }
}

/// <summary>Lets 'dotnet ef migrations add' build the model without configuration or a database.</summary>
internal sealed class OrdersDbContextDesignFactory : IDesignTimeDbContextFactory<OrdersDbContext>
{
    public OrdersDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<OrdersDbContext>().UseNpgsql("Host=localhost").Options);
}
