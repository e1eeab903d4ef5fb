using System.Text;

namespace Platform.Identity.RateLimits;

/// <summary>The answer for one attempt: whether it is within the limit, and when the window it was counted in closes.</summary>
public readonly record struct FixedWindowDecision(bool Allowed, TimeSpan RetryAfter);

/// <summary>
/// The one place every rate limit of Identity is counted: a fixed window per limit and partition in PostgreSQL,
/// counted by a single upsert per attempt. Every instance on the database counts in the same row, so a limit holds for
/// the whole deployment however many instances share the load. A window opens at the partition's first attempt and
/// lasts its length; the first attempt after it has closed opens the next, as ASP.NET Core's own fixed window does.
/// </summary>
public sealed class FixedWindowCounter(IServiceScopeFactory scopes, TimeProvider time)
{
    /// <summary>Counts an attempt of <paramref name="partition"/> against <paramref name="limit"/>, allowed while within <paramref name="permitLimit"/>.</summary>
    public async Task<FixedWindowDecision> TryAcquireAsync(string limit, string partition, int permitLimit, TimeSpan window, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var endsAt = now + window;
        // Hashed, so the table holds neither addresses nor e-mails, and a key's length does not depend on the request.
        var key = SHA256.HashData(Encoding.UTF8.GetBytes($"{limit}\n{partition}"));

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
        // One statement, so concurrent attempts on any instances are counted one after the other on the row.
        var counted = await db.Database.SqlQuery<WindowCount>($"""
            INSERT INTO "RateLimitWindows" AS w ("Key", "Count", "EndsAt") VALUES ({key}, 1, {endsAt})
            ON CONFLICT ("Key") DO UPDATE SET
                "Count" = CASE WHEN w."EndsAt" <= {now} THEN 1 ELSE w."Count" + 1 END,
                "EndsAt" = CASE WHEN w."EndsAt" <= {now} THEN EXCLUDED."EndsAt" ELSE w."EndsAt" END
            RETURNING w."Count", w."EndsAt"
            """).ToListAsync(cancellationToken);
        var count = counted[0];
        return new FixedWindowDecision(count.Count <= permitLimit, count.EndsAt - now);
    }

    /// <summary>Deletes the windows that closed before <paramref name="cutoff"/>.</summary>
    public async Task PurgeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
        await db.RateLimitWindows.Where(w => w.EndsAt < cutoff).ExecuteDeleteAsync(cancellationToken);
    }

    private sealed class WindowCount
    {
        public int Count { get; init; }

        public DateTimeOffset EndsAt { get; init; }
    }
}
