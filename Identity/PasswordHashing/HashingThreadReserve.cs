namespace Platform.Identity.PasswordHashing;

/// <summary>
/// Keeps threads free beside the hashing turns. A hash holds its thread-pool thread for its whole run, and the pool
/// starts with one thread per core and adds more only about twice a second once they are all busy: with as many turns
/// as cores, a login storm held every thread, and refresh, JWKS and operator calls waited half a second for a new one.
/// So the pool's minimum is raised on start to the turns plus one thread per core.
/// </summary>
internal sealed partial class HashingThreadReserve(IOptions<PasswordHashingOptions> options, ILogger<HashingThreadReserve> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var turns = options.Value.MaxConcurrency;
        // The fewest worker threads the pool starts without waiting: every turn busy, every core still served.
        var needed = turns + Environment.ProcessorCount;
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        if (workers < needed && ThreadPool.SetMinThreads(needed, completionPorts))
            LogRaised(logger, workers, needed, turns);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(LogLevel.Information,
        "Thread pool minimum raised from {Before} to {After} worker threads: {Turns} hashing turns, and one thread per core beside them.")]
    private static partial void LogRaised(ILogger logger, int before, int after, int turns);
}
