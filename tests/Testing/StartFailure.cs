using System.Runtime.ExceptionServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Platform.Testing;

/// <summary>
/// Makes a host that refuses to start fail with its own error, every time. With minimal hosting the test factory's
/// host starts on the app's thread: when that start fails, the app's <c>Run</c> disposes the container at once, and
/// the factory, still about to look up the app's lifetime in that container, may throw
/// <see cref="ObjectDisposedException"/> instead of the real error. The host logs its start failure before it
/// rethrows and disposes, so this logger keeps it, and <see cref="BuildAndStart"/> throws it in place of that race's exception.
/// </summary>
public sealed class StartFailure : ILoggerProvider
{
    private Exception? _failure;

    private StartFailure()
    {
    }

    /// <summary>Builds and starts the host as the test factory would; a failed start always throws the host's own exception.</summary>
    public static IHost BuildAndStart(IHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var recorder = new StartFailure();
        builder.ConfigureServices(services => services.AddSingleton<ILoggerProvider>(recorder));
        var host = builder.Build();
        try
        {
            host.Start();
            return host;
        }
        catch (ObjectDisposedException) when (Volatile.Read(ref recorder._failure) is { } failure)
        {
            ExceptionDispatchInfo.Throw(failure);
            throw;
        }
    }

    public ILogger CreateLogger(string categoryName) =>
        categoryName.StartsWith("Microsoft.Extensions.Hosting", StringComparison.Ordinal) ? new Recorder(this) : NullLogger.Instance;

    public void Dispose()
    {
    }

    private sealed class Recorder(StartFailure owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= LogLevel.Error && exception is not null)
                Interlocked.CompareExchange(ref owner._failure, exception, null);
        }
    }

    private sealed class NullLogger : ILogger
    {
        public static readonly NullLogger Instance = new();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => false;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
        }
    }
}
