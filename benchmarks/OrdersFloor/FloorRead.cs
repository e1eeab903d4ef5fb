using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Platform.Orders.Apis;
using Platform.TokenRules;

namespace Platform.Benchmarks.OrdersFloor;

/// <summary>A data source of the floor's own, so it shares no pool with Orders' DbContext.</summary>
internal sealed record FloorDataSource(NpgsqlDataSource Source);

/// <summary>GET /orders/{id}'s read by hand: the one statement EF Core sends, read into the same response.</summary>
internal static class FloorRead
{
    // The shape EF Core gives an order with its owned items: the order row limited to one, then its items joined.
    private const string Sql = """
        SELECT o.id, o.user_id, o.status, o.total, o.created_at, i.sku, i.quantity, i.unit_price
        FROM (SELECT id, user_id, status, total, created_at FROM orders WHERE id = $1 AND user_id = $2 LIMIT 1) AS o
        LEFT JOIN order_items AS i ON o.id = i.order_id
        ORDER BY o.id, i.id
        """;

    public static async Task<Results<Ok<OrderResponse>, NotFound>> GetOrder(
        Guid id, ClaimsPrincipal user, FloorDataSource db, CancellationToken cancellationToken)
    {
        var userId = user.GetUserId();
        await using var command = db.Source.CreateCommand(Sql);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = userId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
            return TypedResults.NotFound();
        var (orderId, owner, status, total, createdAt) =
            (reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetDecimal(3), reader.GetFieldValue<DateTimeOffset>(4));
        var items = new List<OrderItemResponse>();
        do
        {
            if (!reader.IsDBNull(5))
                items.Add(new OrderItemResponse(reader.GetString(5), reader.GetInt32(6), reader.GetDecimal(7)));
        }
        while (await reader.ReadAsync(cancellationToken));
        return TypedResults.Ok(new OrderResponse(orderId, owner, status, items, total, createdAt));
    }
}
