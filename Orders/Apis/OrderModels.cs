using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Platform.Orders.Data;

namespace Platform.Orders.Apis;

public sealed record CreateOrderRequest(IReadOnlyList<OrderItemRequest>? Items);

public sealed record OrderItemRequest(string? Sku, int Quantity, decimal UnitPrice);

public sealed record OrderItemResponse(string Sku, int Quantity, decimal UnitPrice);

public sealed record OrderResponse(
    Guid Id, Guid UserId, string Status, IReadOnlyList<OrderItemResponse> Items, decimal Total, DateTimeOffset CreatedAt)
{
    public static OrderResponse From(Order order) => new(
        order.Id, order.UserId, order.Status,
        [.. order.Items.Select(i => new OrderItemResponse(i.Sku, i.Quantity, i.UnitPrice))],
        order.Total, order.CreatedAt);
}

public sealed record OrderPage(IReadOnlyList<OrderResponse> Items, int Page, int PageSize, int Total);

internal static partial class OrderRules
{
    public const int MaxItems = 100;
    public const int MaxQuantity = 1000;
    public const int MaxPageSize = 100;
    public const int MaxIdempotencyKeyLength = 200;

    // A ceiling keeps 100 × 1000 × price inside the total's column and far from decimal overflow.
    public const decimal MaxUnitPrice = 1_000_000m;

    public static Dictionary<string, string[]> Validate(CreateOrderRequest request, string? idempotencyKey)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (idempotencyKey is not null && !IdempotencyKey().IsMatch(idempotencyKey))
            errors["Idempotency-Key"] = [$"Must be 1 to {MaxIdempotencyKeyLength} visible ASCII characters."];

        if (request.Items is not { Count: >= 1 and <= MaxItems })
        {
            errors["items"] = [$"An order has 1 to {MaxItems} items."];
            return errors;
        }

        for (var i = 0; i < request.Items.Count; i++)
        {
            var item = request.Items[i];
            if (item is null)
            {
                errors[$"items[{i}]"] = ["An item is required."];
                continue;
            }

            if (item.Sku is null || !Sku().IsMatch(item.Sku))
                errors[$"items[{i}].sku"] = ["A SKU is 1 to 64 characters of letters, digits, '-' and '_'."];
            if (item.Quantity is < 1 or > MaxQuantity)
                errors[$"items[{i}].quantity"] = [$"Quantity must be between 1 and {MaxQuantity}."];
            if (item.UnitPrice < 0 || item.UnitPrice > MaxUnitPrice || decimal.Round(item.UnitPrice, 2) != item.UnitPrice)
                errors[$"items[{i}].unitPrice"] = [$"Unit price must be between 0 and {MaxUnitPrice} with at most 2 decimals."];
        }

        return errors;
    }

    /// <summary>A digest of what the request means, not of its bytes, so whitespace or "10.0" vs "10" is the same request.</summary>
    public static string Hash(CreateOrderRequest request)
    {
        var canonical = new StringBuilder();
        foreach (var item in request.Items!)
        {
            canonical.Append(item.Sku).Append('\n')
                .Append(item.Quantity.ToString(CultureInfo.InvariantCulture)).Append('\n')
                .Append(item.UnitPrice.ToString("0.00", CultureInfo.InvariantCulture)).Append('\n');
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())));
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}\\z")]
    private static partial Regex Sku();

    [GeneratedRegex("^[\\x21-\\x7E]{1,200}\\z")]
    private static partial Regex IdempotencyKey();
}
