using Microsoft.AspNetCore.Mvc;
using Platform.Identity.Authentication;
using Platform.Identity.Sessions;

namespace Platform.Identity.Apis;

/// <summary>Operator actions on sessions and signing keys, and the audit trail of all operator actions.</summary>
public static class AdminOperationsApi
{
    public static IEndpointRouteBuilder MapAdminOperationsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/admin").WithTags("Admin").RequireAuthorization(Authorization.AdminPolicy)
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        group.MapDelete("/sessions/{sessionId:guid}", RevokeSession).WithSummary("Revoke a session; publishes SessionRevoked")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/audit", GetAudit).WithSummary("Operator actions, newest first");
        group.MapGet("/keys", ListKeys).WithSummary("Signing keys and their status");
        group.MapPost("/keys/rotate", RotateKeys).WithSummary("Force a key rotation; the new key signs after the propagation time");
        group.MapPost("/keys/{kid}/revoke", RevokeKey).WithSummary("Withdraw a key at once; publishes SigningKeyRevoked")
            .WithDescription("The key leaves the JWKS now; if it was signing, a fresh key signs from now on. Tokens it signed are refused everywhere. Idempotent.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    /// <summary>A revocation that publishes names its <see cref="SessionRevoked"/> in the <see cref="AdminRevocationsApi.EventHeader"/> header.</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeSession(
        Guid sessionId, ClaimsPrincipal principal, IdentityDb db, UnitOfWork unitOfWork, SessionService sessions, TimeProvider time,
        HttpResponse response, CancellationToken cancellationToken)
    {
        await using var transaction = await unitOfWork.BeginAsync(cancellationToken);
        var session = await db.Sessions.FromSql($"SELECT * FROM \"Sessions\" WHERE \"Id\" = {sessionId} FOR UPDATE").SingleOrDefaultAsync(cancellationToken);
        if (session is null)
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "No session with this id.");
        var now = time.GetUtcNow();
        var eventId = sessions.Revoke(session, SessionRevokedReasons.Admin, now);
        db.AuditRecords.Add(AuditRecord.Of(principal.UserId(), "revoke-session", now, session.UserId, target: session.Id.ToString()));
        await unitOfWork.CommitAsync(cancellationToken);
        return AdminRevocationsApi.NamingEvent(response, eventId ?? Guid.Empty, TypedResults.NoContent());
    }

    public static async Task<Ok<AuditPage>> GetAudit(Guid? userId, IdentityDb db, CancellationToken cancellationToken)
    {
        var query = db.AuditRecords.AsNoTracking();
        if (userId is not null)
            query = query.Where(a => a.TargetUserId == userId || a.ActorId == userId);
        var items = await query.OrderByDescending(a => a.At).ThenByDescending(a => a.Id).Take(500)
            .Select(a => new AuditEntry(a.Id, a.At, a.ActorId, a.Action, a.TargetUserId, a.Target, a.Reason))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new AuditPage(items));
    }

    public static async Task<Ok<List<KeySummary>>> ListKeys(SigningKeyStore store, CancellationToken cancellationToken)
    {
        await store.ReloadAsync(cancellationToken);
        var keys = store.All.OrderByDescending(k => k.ActivatesAt)
            .Select(k => new KeySummary(k.Id, k.CreatedAt, k.ActivatesAt, k.RetiresAt, store.StatusOf(k).ToString().ToLowerInvariant(), k.RevokedAt))
            .ToList();
        return TypedResults.Ok(keys);
    }

    /// <summary>The new key is published now and signs only after the propagation time, so no validator meets an unknown kid.</summary>
    public static async Task<Accepted<RotationStarted>> RotateKeys(
        ClaimsPrincipal principal, KeyRotator rotator, IdentityDb db, TimeProvider time, CancellationToken cancellationToken)
    {
        var kid = await rotator.RotateIfDueAsync(force: true, cancellationToken)
            ?? throw new InvalidOperationException("A forced rotation created no key.");
        db.AuditRecords.Add(AuditRecord.Of(principal.UserId(), "rotate-keys", time.GetUtcNow(), target: kid));
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Accepted("/admin/keys", new RotationStarted(kid));
    }

    /// <summary>
    /// For a key that may have leaked: unlike a rotation, nothing waits for validators, so tokens it signed, genuine or
    /// not, are refused from now on. This instance reloads at once; the others stop signing with it at their next reload.
    /// </summary>
    public static async Task<Results<Ok<RevokedKey>, ProblemHttpResult>> RevokeKey(
        string kid, ClaimsPrincipal principal, IdentityDb db, UnitOfWork unitOfWork, KeyRotator rotator, SigningKeyStore store,
        CancellationToken cancellationToken)
    {
        if (kid.Length > MaxKeyIdLength)
            return KeyNotFound();
        KeyRevocation? revocation;
        await using (await unitOfWork.BeginAsync(cancellationToken))
        {
            revocation = await rotator.RevokeAsync(db, kid, cancellationToken);
            if (revocation is null)
                return KeyNotFound();
            if (revocation.Changed)
            {
                db.AuditRecords.Add(AuditRecord.Of(principal.UserId(), "revoke-key", revocation.RevokedAt, target: revocation.Kid));
                unitOfWork.Enqueue(new SigningKeyRevoked(revocation.Kid, revocation.RevokedAt), revocation.RevokedAt);
                await unitOfWork.CommitAsync(cancellationToken);
            }
        }

        await store.ReloadAsync(cancellationToken);
        return TypedResults.Ok(new RevokedKey(revocation.Kid, revocation.RevokedAt, store.SigningKey?.Id));
    }

    private const int MaxKeyIdLength = 64;

    private static ProblemHttpResult KeyNotFound() =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "No signing key with this id.");
}

public sealed record AuditEntry(Guid Id, DateTimeOffset At, Guid ActorId, string Action, Guid? TargetUserId, string? Target, string? Reason);

public sealed record AuditPage(IReadOnlyList<AuditEntry> Items);

public sealed record KeySummary(
    string Kid, DateTimeOffset CreatedAt, DateTimeOffset ActivatesAt, DateTimeOffset RetiresAt, string Status, DateTimeOffset? RevokedAt);

public sealed record RotationStarted(string Kid);

/// <param name="SigningKid">The key that signs now, on this instance.</param>
public sealed record RevokedKey(string Kid, DateTimeOffset RevokedAt, string? SigningKid);
