namespace Platform.Identity.SigningKeys;

/// <summary>Periodically picks up keys other instances created and rotates when a key's lifetime is up.</summary>
internal sealed partial class KeyRotationService(KeyRotator rotator, IOptions<IdentityServiceOptions> options, ILogger<KeyRotationService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.Value.SigningKeys.CheckInterval, stoppingToken);
                await rotator.RotateIfDueAsync(force: false, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                // The cached keys keep serving; the next round tries again.
                LogCheckFailed(logger, exception);
            }
        }
    }

    [LoggerMessage(LogLevel.Warning, "Signing key check failed")]
    private static partial void LogCheckFailed(ILogger logger, Exception exception);
}
