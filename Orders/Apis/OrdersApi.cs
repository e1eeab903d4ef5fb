using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Platform.Orders.Data;
using Platform.ServiceDefaults.Http;
using Platform.TokenRules;

namespace Platform.Orders.Apis;

public static class OrdersApi
{
    public const string ReadPolicy = PlatformScopes.OrdersRead;
    public const string WritePolicy = PlatformScopes.OrdersWrite;

    public static IEndpointRouteBuilder MapOrdersApi(this IEndpointRouteBuilder app)
    {
        // Every route needs a token: 401 when it is missing or refused, 403 when it lacks the scope.
        var orders = app.MapGroup("/orders").WithTags("Orders")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        orders.MapPost("/", PlaceOrder).RequireAuthorization(WritePolicy)
            .WithSummary("Place an order for the token's subject")
            .WithDescription("An Idempotency-Key header makes retries safe: the same key and body return the same order, the same key with another body is 422.")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        orders.MapGet("/", ListOrders).RequireAuthorization(ReadPolicy).WithSummary("List the caller's orders, newest first");
        orders.MapGet("/{id:guid}", GetOrder).RequireAuthorization(ReadPolicy).WithName(nameof(GetOrder))
            .WithSummary("Get one of the caller's orders").ProducesProblem(StatusCodes.Status404NotFound);
        orders.MapPost("/{id:guid}/cancel", CancelOrder).RequireAuthorization(WritePolicy)
            .WithSummary("Cancel one of the caller's orders")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    public static async Task<Results<Created<OrderResponse>, ValidationProblem, ProblemHttpResult>> PlaceOrder(
        CreateOrderRequest request,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        ClaimsPrincipal user, OrdersDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = OrderRules.Validate(request, idempotencyKey);
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors);

        var userId = user.GetUserId();
        var hash = idempotencyKey is null ? null : OrderRules.Hash(request);
        if (idempotencyKey is not null && await FindByKeyAsync(db, userId, idempotencyKey, cancellationToken) is { } earlier)
            return Replay(earlier, hash!);

        var order = new Order
        {
            Id = Guid.CreateVersion7(),
            UserId = userId,
            CreatedAt = time.GetUtcNow(),
            IdempotencyKey = idempotencyKey,
            RequestHash = hash,
            Items = [.. request.Items!.Select(i => new OrderItem { Sku = i.Sku!, Quantity = i.Quantity, UnitPrice = i.UnitPrice })],
            Total = request.Items!.Sum(i => i.Quantity * i.UnitPrice),
        };
        db.Orders.Add(order);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (idempotencyKey is not null
            && exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // A concurrent retry with the same key committed first: answer as that retry would be answered.
            db.ChangeTracker.Clear();
            var winner = await FindByKeyAsync(db, userId, idempotencyKey, cancellationToken);
            return Replay(winner!, hash!);
        }

        return Created(order);
    }

    public static async Task<Results<Ok<OrderPage>, ValidationProblem>> ListOrders(
        ClaimsPrincipal user, OrdersDbContext db, CancellationToken cancellationToken, int page = 1, int pageSize = 20)
    {
        var errors = Paging.Validate(page, pageSize, OrderRules.MaxPageSize);
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors);

        var userId = user.GetUserId();
        var mine = db.Orders.AsNoTracking().Where(o => o.UserId == userId);
        var total = await mine.CountAsync(cancellationToken);
        var items = await mine.OrderByDescending(o => o.CreatedAt).ThenByDescending(o => o.Id)
            .Skip(Paging.Offset(page, pageSize)).Take(pageSize).ToListAsync(cancellationToken);
        return TypedResults.Ok(new OrderPage([.. items.Select(OrderResponse.From)], page, pageSize, total));
    }

    public static async Task<Results<Ok<OrderResponse>, NotFound>> GetOrder(
        Guid id, ClaimsPrincipal user, OrdersDbContext db, CancellationToken cancellationToken)
    {
        var userId = user.GetUserId();
        // Another user's order answers exactly like a missing one, so ids cannot be probed.
        var order = await db.FindForUserAsync(id, userId, cancellationToken);
        return order is null ? TypedResults.NotFound() : TypedResults.Ok(OrderResponse.From(order));
    }

    public static async Task<Results<Ok<OrderResponse>, NotFound, ProblemHttpResult>> CancelOrder(
        Guid id, ClaimsPrincipal user, OrdersDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var userId = user.GetUserId();
        // One conditional statement, so two concurrent cancels cannot both succeed.
        var cancelled = await db.Orders
            .Where(o => o.Id == id && o.UserId == userId && o.Status == OrderStatus.Placed)
            .ExecuteUpdateAsync(s => s
                .SetProperty(o => o.Status, OrderStatus.Cancelled)
                .SetProperty(o => o.CancelledAt, time.GetUtcNow()), cancellationToken);

        var order = await db.FindForUserAsync(id, userId, cancellationToken);
        if (order is null)
            return TypedResults.NotFound();
        if (cancelled == 0)
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Order already cancelled",
                detail: "The order was cancelled before.");
        return TypedResults.Ok(OrderResponse.From(order));
    }

    private static Task<Order?> FindByKeyAsync(OrdersDbContext db, Guid userId, string key, CancellationToken cancellationToken) =>
        db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.UserId == userId && o.IdempotencyKey == key, cancellationToken);

    private static Results<Created<OrderResponse>, ValidationProblem, ProblemHttpResult> Replay(Order earlier, string hash) =>
        earlier.RequestHash == hash
            ? Created(earlier)
            : TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Idempotency-Key reused",
                detail: "This Idempotency-Key was used with a different request.");

    private static Created<OrderResponse> Created(Order order) =>
        TypedResults.Created($"/orders/{order.Id}", OrderResponse.From(order));
}
