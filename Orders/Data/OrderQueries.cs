using Microsoft.EntityFrameworkCore;

namespace Platform.Orders.Data;

/// <summary>
/// The reads on the hot path, compiled once: a by-id read through LINQ pays for expression-tree hashing and a
/// query-cache lookup on every request, which profiling showed cost as much as the database round trip.
/// </summary>
internal static class OrderQueries
{
    // The owner is part of the key, so another user's order reads exactly like a missing one.
    private static readonly Func<OrdersDbContext, Guid, Guid, CancellationToken, Task<Order?>> ByIdForUser =
        EF.CompileAsyncQuery((OrdersDbContext db, Guid id, Guid userId, CancellationToken _) =>
            db.Orders.AsNoTracking().FirstOrDefault(o => o.Id == id && o.UserId == userId));

    public static Task<Order?> FindForUserAsync(this OrdersDbContext db, Guid id, Guid userId, CancellationToken cancellationToken) =>
        ByIdForUser(db, id, userId, cancellationToken);
}
