using Platform.Identity.Tokens;
using Platform.TokenRules;

namespace Platform.Identity.Clients;

/// <summary>A client as operators see it: never its secret or the secret's hash.</summary>
public sealed record ClientSummary(
    Guid ClientId, string Name, string[] Scopes, string[] Audiences, DateTimeOffset CreatedAt, DateTimeOffset SecretRotatedAt, DateTimeOffset? DisabledAt);

/// <summary>A client just registered, with the secret shown this once.</summary>
public sealed record CreatedClient(Guid ClientId, string ClientSecret, string Name, string[] Scopes, string[] Audiences, DateTimeOffset CreatedAt);

/// <summary>
/// Registering, rotating and disabling service clients, each with its audit record in one transaction; disabling also
/// publishes <see cref="ClientDisabled"/> through the outbox, so every resource server refuses the client's tokens.
/// </summary>
public sealed class ServiceClients(IdentityDb db, UnitOfWork unitOfWork, TokenIssuer issuer, TimeProvider time)
{
    public const int MaxNameLength = 100;
    public const int MaxEntries = 20;

    /// <summary>Field errors of a registration: a name, and scopes and audiences Identity knows.</summary>
    public Dictionary<string, string[]> Validate(string? name, string[]? scopes, string[]? audiences)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(name) || name.Length > MaxNameLength || name.Any(c => char.IsControl(c) || c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069')))
            errors["name"] = [$"'name' is required, at most {MaxNameLength} characters, without control characters."];
        if (scopes is not { Length: > 0 and <= MaxEntries } || scopes.Any(s => s is null || !PlatformScopes.All.Contains(s, StringComparer.Ordinal)))
            errors["scopes"] = [$"'scopes' must list one or more of: {string.Join(", ", PlatformScopes.All)}."];
        if (audiences is not { Length: > 0 and <= MaxEntries } || audiences.Any(a => a is null || a.Length > 256 || !issuer.IsKnownResource(a)))
            errors["audiences"] = ["'audiences' must list one or more audiences Identity issues tokens for."];
        return errors;
    }

    public async Task<CreatedClient> CreateAsync(string name, string[] scopes, string[] audiences, Guid operatorId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var secret = ClientSecrets.Generate();
        var client = new ServiceClient
        {
            Id = Guid.NewGuid(),
            Name = name.Trim(),
            SecretHash = ClientSecrets.Hash(secret),
            Scopes = [.. scopes.Distinct(StringComparer.Ordinal)],
            Audiences = [.. audiences.Distinct(StringComparer.Ordinal)],
            CreatedAt = now,
            SecretRotatedAt = now,
        };
        await using var transaction = await unitOfWork.BeginAsync(cancellationToken);
        db.ServiceClients.Add(client);
        db.AuditRecords.Add(AuditRecord.Of(operatorId, "create-client", now, target: client.ClientId));
        await unitOfWork.CommitAsync(cancellationToken);
        return new CreatedClient(client.Id, secret, client.Name, client.Scopes, client.Audiences, client.CreatedAt);
    }

    /// <returns>The new secret; null when there is no such client. The old secret stops working at the commit.</returns>
    public async Task<string?> RotateSecretAsync(Guid clientId, Guid operatorId, CancellationToken cancellationToken)
    {
        await using var transaction = await unitOfWork.BeginAsync(cancellationToken);
        var client = await LockAsync(clientId, cancellationToken);
        if (client is null)
            return null;
        var now = time.GetUtcNow();
        var secret = ClientSecrets.Generate();
        client.SecretHash = ClientSecrets.Hash(secret);
        client.SecretRotatedAt = now;
        db.AuditRecords.Add(AuditRecord.Of(operatorId, "rotate-client-secret", now, target: client.ClientId));
        await unitOfWork.CommitAsync(cancellationToken);
        return secret;
    }

    /// <returns>
    /// Null when there is no such client; else the id of the <see cref="ClientDisabled"/> event, or <see cref="Guid.Empty"/>
    /// when the client was already disabled (that changes nothing and announces nothing).
    /// </returns>
    public async Task<Guid?> DisableAsync(Guid clientId, Guid operatorId, CancellationToken cancellationToken)
    {
        await using var transaction = await unitOfWork.BeginAsync(cancellationToken);
        var client = await LockAsync(clientId, cancellationToken);
        if (client is null)
            return null;
        var eventId = Guid.Empty;
        if (client.DisabledAt is null)
        {
            var now = time.GetUtcNow();
            client.DisabledAt = now;
            eventId = unitOfWork.Enqueue(new ClientDisabled(client.Id, now), now).Id;
            db.AuditRecords.Add(AuditRecord.Of(operatorId, "disable-client", now, target: client.ClientId));
            // Its Shared Signals streams stop with it, and drop what waits (SSF 1.0 §8.1.2): a client that may no longer
            // call Identity must not keep hearing which users and sessions changed.
            var owner = client.Id.ToString("D");
            await db.SsfStreams.Where(s => s.ClientId == owner).ExecuteUpdateAsync(set => set
                .SetProperty(s => s.Status, "disabled").SetProperty(s => s.StatusReason, "The client was disabled."), cancellationToken);
            await db.SsfDeliveries.Where(d => d.DeliveredAt == null && d.FailedAt == null && db.SsfStreams.Any(s => s.Id == d.StreamId && s.ClientId == owner))
                .ExecuteDeleteAsync(cancellationToken);
        }

        await unitOfWork.CommitAsync(cancellationToken);
        return eventId;
    }

    public static ClientSummary Summary(ServiceClient client) =>
        new(client.Id, client.Name, client.Scopes, client.Audiences, client.CreatedAt, client.SecretRotatedAt, client.DisabledAt);

    // Held until the commit, so a rotation and a disabling of one client happen one after the other.
    private Task<ServiceClient?> LockAsync(Guid clientId, CancellationToken cancellationToken) =>
        db.ServiceClients.FromSql($"SELECT * FROM \"ServiceClients\" WHERE \"Id\" = {clientId} FOR UPDATE").SingleOrDefaultAsync(cancellationToken);
}
