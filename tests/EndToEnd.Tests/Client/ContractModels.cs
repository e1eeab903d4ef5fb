namespace Platform.EndToEnd.Tests.Client;

// The HTTP contract's bodies, as a client outside the platform sees them (docs/ARCHITECTURE.md, "HTTP contract").

public sealed record UserCreated(Guid Id, string Email, string? DisplayName, DateTimeOffset CreatedAt);

public sealed record TokenResponse(string AccessToken, string TokenType, int ExpiresIn, string RefreshToken);

public sealed record OrderLine(string Sku, int Quantity, decimal UnitPrice);

public sealed record Order(Guid Id, Guid UserId, string Status, IReadOnlyList<OrderLine> Items, decimal Total, DateTimeOffset CreatedAt);

public sealed record PageOf<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total);

public sealed record AdminSession(Guid Id, DateTimeOffset CreatedAt, DateTimeOffset? LastSeenAt, DateTimeOffset? RevokedAt);

public sealed record AdminUser(
    Guid Id,
    string Email,
    string? DisplayName,
    IReadOnlyList<string> Roles,
    bool IsActive,
    DateTimeOffset? DeactivatedAt,
    IReadOnlyList<AdminSession> Sessions);

public sealed record RotatedKey(string Kid);
