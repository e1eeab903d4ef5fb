using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;

namespace Platform.Identity.Tests.SharedSignals;

/// <summary>
/// Identity as a Shared Signals transmitter for tests: receivers on plain http (Development only), a short push timeout
/// and few attempts, cheap password hashing, and every log line captured so tests can search it for SETs.
/// </summary>
public class SharedSignalsApp : IdentityApp
{
    public const int MaxAttempts = 3;

    public LogCapture Capture { get; } = new();

    /// <summary>How long one push may take before it counts as failed.</summary>
    protected virtual string RequestTimeout => "00:00:02";

    protected override void Configure(IWebHostBuilder builder)
    {
        builder.UseSetting("Identity:SharedSignals:AllowHttpEndpoints", "true");
        builder.UseSetting("Identity:SharedSignals:MaxAttempts", MaxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Identity:SharedSignals:RetryDelay", "00:00:01");
        builder.UseSetting("Identity:SharedSignals:RequestTimeout", RequestTimeout);
        builder.UseSetting("Identity:SharedSignals:LongPollTimeout", "00:00:01");
        builder.UseSetting("Logging:LogLevel:Default", "Debug");
        builder.ConfigureTestServices(services =>
        {
            services.Configure<PasswordHasherOptions>(hasher => hasher.IterationCount = 1_000);
            services.AddSingleton<ILoggerProvider>(Capture);
        });
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Capture.Dispose();
        GC.SuppressFinalize(this);
    }
}
