using System.Text;

namespace Platform.Identity.RateLimits;

/// <summary>The answer for one attempt: whether it is within the limit, and when the window it was counted in closes.</summary>
public readonly record struct FixedWindowDecision(bool Allowed, TimeSpan RetryAfter);

/// <summary>
/// The one place every rate limit of Identity is counted: fixed windows in PostgreSQL, one row per limit, partition
/// and window, incremented by a single upsert per attempt. Every instance on the database counts in the same rows, so
/// a limit holds for the whole deployment however many instances share the load. Windows are aligned to the clock
/// (a window of a minute starts on the minute), so instances agree on them without talking to each other.
/// </summary>
public sealed class FixedWindowCounter(IServiceScopeFactory scopes, TimeProvider time)
{
    /// <summary>Counts an attempt of <paramref name="partition"/> against <paramref name="limit"/>, allowed while within <paramref name="permitLimit"/>.</summary>
    public async Task<FixedWindowDecision> TryAcquireAsync(string limit, string partition, int permitLimit, TimeSpan window, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var start = now.UtcTicks - now.UtcTicks % window.Ticks;
        var endsAt = new DateTimeOffset(start, TimeSpan.Zero) + window;
        // Hashed, so the table holds neither addresses nor e-mails, and a key's length does not depend on the request.
        var key = SHA256.HashData(Encoding.UTF8.GetBytes($"{limit}\n{partition}\n{start}"));

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
        var counts = await db.Database.SqlQuery<int>($"""
            INSERT INTO "RateLimitWindows" ("Key", "Count", "EndsAt") VALUES ({key}, 1, {endsAt})
            ON CONFLICT ("Key") DO UPDATE SET "Count" = "RateLimitWindows"."Count" + 1
            RETURNING "Count" AS "Value"
            """).ToListAsync(cancellationToken);
        return new FixedWindowDecision(counts[0] <= permitLimit, endsAt - now);
    }

    /// <summary>Deletes the windows that closed before <paramref name="cutoff"/>.</summary>
    public async Task PurgeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
        await db.RateLimitWindows.Where(w => w.EndsAt < cutoff).ExecuteDeleteAsync(cancellationToken);
    }
}
