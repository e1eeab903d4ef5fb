using Platform.Platformctl.Http;

namespace Platform.Platformctl.Tokens;

/// <summary>
/// Asks Identity's admin API whether a token's session is revoked or its user deactivated, with the deny-list's rule:
/// a deactivation covers every token issued at or before it (rounded up to the second). Only ids are sent, never the token.
/// </summary>
public static class RevocationCheck
{
    public static async Task<TokenVerdict?> FindRevocationAsync(OperatorSession session, DecodedToken token, CancellationToken cancellation)
    {
        if (!Guid.TryParse(token.Subject, out var userId))
            return TokenVerdict.Invalid("sub is not a user id.");
        if (token.IsClientToken)
            return await FindClientRevocationAsync(session, userId, cancellation);

        JsonElement user;
        try
        {
            user = await session.CallAsync(HttpMethod.Get, $"admin/users/{userId}", null, "checking revocation", cancellation) ?? default;
        }
        catch (CliException failure) when (failure.ExitCode == ExitCodes.NotFound)
        {
            return new TokenVerdict(TokenStatus.Revoked, $"user {userId} does not exist (any more).");
        }

        if (user.ValueKind != JsonValueKind.Object)
            return null;

        if (Timestamp(user, "deactivatedAt") is { } deactivatedAt && token.IssuedAt is { } issuedAt
            && issuedAt <= RoundUpToSecond(deactivatedAt))
        {
            return new TokenVerdict(TokenStatus.Revoked, $"user {userId} was deactivated at {deactivatedAt.ToString("u", CultureInfo.InvariantCulture)}, after this token was issued.");
        }

        if (user.TryGetProperty("sessions", out var sessions) && sessions.ValueKind == JsonValueKind.Array)
        {
            foreach (var entry in sessions.EnumerateArray())
            {
                if (DecodedToken.Text(entry, "id") is { } id && string.Equals(id, token.SessionId, StringComparison.OrdinalIgnoreCase)
                    && Timestamp(entry, "revokedAt") is { } revokedAt)
                {
                    return new TokenVerdict(TokenStatus.Revoked, $"session {id} was revoked at {revokedAt.ToString("u", CultureInfo.InvariantCulture)}.");
                }
            }
        }

        return null;
    }

    // A client's tokens are revoked by disabling the client, which covers every token it holds.
    private static async Task<TokenVerdict?> FindClientRevocationAsync(OperatorSession session, Guid clientId, CancellationToken cancellation)
    {
        JsonElement client;
        try
        {
            client = await session.CallAsync(HttpMethod.Get, $"admin/clients/{clientId}", null, "checking revocation", cancellation) ?? default;
        }
        catch (CliException failure) when (failure.ExitCode == ExitCodes.NotFound)
        {
            return new TokenVerdict(TokenStatus.Revoked, $"client {clientId} does not exist (any more).");
        }

        return client.ValueKind == JsonValueKind.Object && Timestamp(client, "disabledAt") is { } disabledAt
            ? new TokenVerdict(TokenStatus.Revoked, $"client {clientId} was disabled at {disabledAt.ToString("u", CultureInfo.InvariantCulture)}.")
            : null;
    }

    private static long RoundUpToSecond(DateTimeOffset at) =>
        at.ToUnixTimeSeconds() + (at.UtcTicks % TimeSpan.TicksPerSecond > 0 ? 1 : 0);

    private static DateTimeOffset? Timestamp(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out var at)
            ? at
            : null;
}
