using Microsoft.Extensions.Options;

namespace Platform.Identity.SigningKeys;

/// <summary>Periodically picks up keys other instances created and rotates when a key's lifetime is up.</summary>
internal sealed class KeyRotationService(KeyRotator rotator, IOptions<IdentityServiceOptions> options, ILogger<KeyRotationService> logger)
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
                logger.LogWarning(exception, "Signing key check failed");
            }
        }
    }
}
