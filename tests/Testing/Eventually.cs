using System.Diagnostics;

namespace Platform.Testing;

/// <summary>
/// Polls for something that happens asynchronously (an event consumed, a revocation applied, a service ready) until
/// it holds or a deadline passes. The one place tests wait, so every wait checks first, sleeps between attempts and
/// fails with what it waited for, how long, and how many times it looked.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>Waits until <paramref name="condition"/> is true and returns how long that took.</summary>
    public static Task<TimeSpan> HoldsAsync(Func<bool> condition, string what, TimeSpan? timeout = null, TimeSpan? interval = null) =>
        HoldsAsync(() => Task.FromResult(condition()), () => what, timeout, interval);

    /// <inheritdoc cref="HoldsAsync(Func{bool}, string, TimeSpan?, TimeSpan?)"/>
    public static Task<TimeSpan> HoldsAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null, TimeSpan? interval = null) =>
        HoldsAsync(condition, () => what, timeout, interval);

    /// <summary>
    /// As the other overloads; <paramref name="what"/> is asked only on failure, so it can describe the last state the
    /// condition saw (how many tokens were still accepted, the last response body).
    /// </summary>
    public static async Task<TimeSpan> HoldsAsync(
        Func<Task<bool>> condition, Func<string> what, TimeSpan? timeout = null, TimeSpan? interval = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var clock = Stopwatch.StartNew();
        for (var attempts = 1; ; attempts++)
        {
            if (await condition())
                return clock.Elapsed;
            if (clock.Elapsed > limit)
            {
                throw new TimeoutException(
                    $"Waited {clock.Elapsed.TotalSeconds:0.0} s (limit {limit.TotalSeconds:0.#} s, {attempts} checks) for: {what()}");
            }

            await Task.Delay(interval ?? DefaultInterval);
        }
    }

    /// <summary>Waits until <paramref name="probe"/> returns a value <paramref name="done"/> accepts, and returns it.</summary>
    public static async Task<T> ValueAsync<T>(
        Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? timeout = null, TimeSpan? interval = null)
    {
        var last = default(T);
        await HoldsAsync(async () => done(last = await probe()), () => $"{what} (last seen: {last?.ToString() ?? "nothing"})", timeout, interval);
        return last!;
    }

    /// <summary>Waits until <paramref name="probe"/> finds something (returns non-null), and returns it.</summary>
    public static async Task<T> FoundAsync<T>(Func<T?> probe, string what, TimeSpan? timeout = null, TimeSpan? interval = null)
        where T : class
    {
        T? found = null;
        await HoldsAsync(() => (found = probe()) is not null, what, timeout, interval);
        return found!;
    }

    /// <inheritdoc cref="FoundAsync{T}(Func{T}, string, TimeSpan?, TimeSpan?)"/>
    public static async Task<T> FoundValueAsync<T>(Func<T?> probe, string what, TimeSpan? timeout = null, TimeSpan? interval = null)
        where T : struct
    {
        T? found = null;
        await HoldsAsync(() => (found = probe()) is not null, what, timeout, interval);
        return found!.Value;
    }
}
