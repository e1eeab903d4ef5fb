namespace Platform.Orders.Data;

public sealed class Order
{
    public Guid Id { get; init; }

    /// <summary>The token's <c>sub</c> of whoever placed it; never taken from a request body.</summary>
    public Guid UserId { get; init; }

    public string Status { get; set; } = OrderStatus.Placed;

    public decimal Total { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? CancelledAt { get; set; }

    /// <summary>The client's <c>Idempotency-Key</c>; unique per user so concurrent retries cannot both insert.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>SHA-256 of the normalised request, to tell a retry from a different request reusing the key.</summary>
    public string? RequestHash { get; init; }

    public List<OrderItem> Items { get; init; } = [];
}

public sealed class OrderItem
{
    public required string Sku { get; init; }

    public int Quantity { get; init; }

    public decimal UnitPrice { get; init; }
}

public static class OrderStatus
{
    public const string Placed = "Placed";
    public const string Cancelled = "Cancelled";
}
