using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Platform.ResourceServer.Receipts;

/// <summary>
/// Tells Identity every <see cref="ResourceServerOptions.HeartbeatInterval"/> that this instance lives, so it counts
/// among the instances each revocation must reach. Starts after the bus, so the instance queue is bound before the
/// first heartbeat: every event published after Identity first hears of the instance reaches it.
/// </summary>
internal sealed partial class InstanceHeartbeat(
    IBus bus,
    ResourceServerInstance instance,
    DenyListReadiness readiness,
    IOptions<ResourceServerOptions> options,
    TimeProvider time,
    ILogger<InstanceHeartbeat> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.DeliveryReceipts)
            return;
        var startedAt = time.GetUtcNow();
        var failing = false;
        using var timer = new PeriodicTimer(settings.HeartbeatInterval, time);
        try
        {
            do
            {
                try
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                    timeout.CancelAfter(settings.HeartbeatInterval);
                    await bus.Publish(new InstanceHeartbeatSent(instance.Id, instance.Service, startedAt, time.GetUtcNow(),
                        settings.HeartbeatInterval, readiness.IsLoaded), timeout.Token);
                    failing = false;
                }
                catch (Exception exception) when (exception is not OutOfMemoryException && !stoppingToken.IsCancellationRequested)
                {
                    // Once per outage: the next beat tries again.
                    if (!failing)
                        LogHeartbeatFailed(logger, exception.GetType().Name);
                    failing = true;
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(LogLevel.Warning, "Sending the instance heartbeat failed ({Error}); Identity counts this instance as gone until one arrives.")]
    private static partial void LogHeartbeatFailed(ILogger logger, string error);
}
