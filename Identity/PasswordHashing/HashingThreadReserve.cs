namespace Platform.Identity.PasswordHashing;

/// <summary>
/// Keeps threads free beside the hashing turns. A hash holds its thread-pool thread for its whole run, and the pool
/// starts with one thread per core and adds more only about twice a second once they are all busy: with as many turns
/// as cores, a login storm held every thread, and refresh, JWKS and operator calls waited half a second for a new one.
/// So the pool's minimum is raised on start to the turns plus one thread per core.
/// </summary>
internal sealed partial class HashingThreadReserve(IOptions<PasswordHashingOptions> options, ILogger<HashingThreadReserve> logger) : IHostedService
{
    /// <summary>The fewest worker threads the pool starts at once without waiting: every turn busy, every core still served.</summary>
    internal static int MinWorkerThreads(PasswordHashingOptions options) => options.MaxConcurrency + Environment.ProcessorCount;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        var needed = MinWorkerThreads(options.Value);
        if (workers < needed && ThreadPool.SetMinThreads(needed, completionPorts))
            LogRaised(logger, workers, needed, options.Value.MaxConcurrency);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(LogLevel.Information,
        "Thread pool minimum raised from {Before} to {After} worker threads: {Turns} hashing turns, and one thread per core beside them.")]
    private static partial void LogRaised(ILogger logger, int before, int after, int turns);
}
