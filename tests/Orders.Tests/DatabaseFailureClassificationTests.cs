using System.Collections.Concurrent;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Platform.ServiceDefaults.Http;

namespace Platform.Orders.Tests;

/// <summary>
/// The platform's exception handler (ServiceDefaults), over HTTP in a host of its own so each kind of database
/// failure can be raised on purpose: only a database that cannot serve is a 503 with an Error log; a statement the
/// database refused because of a value from the request is the client's 400 and a Warning, never an outage alarm.
/// Orders' real outage (the database dropped) stays pinned by <see cref="OutageTests"/>.
/// </summary>
public sealed class DatabaseFailureClassificationTests
{
    public static TheoryData<string, int> Failures => new()
    {
        { "connection-refused", StatusCodes.Status503ServiceUnavailable },
        { "admin-shutdown", StatusCodes.Status503ServiceUnavailable },
        { "too-many-connections", StatusCodes.Status503ServiceUnavailable },
        { "database-gone", StatusCodes.Status503ServiceUnavailable },
        { "negative-offset", StatusCodes.Status400BadRequest },
        { "numeric-out-of-range", StatusCodes.Status400BadRequest },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task Only_a_database_that_cannot_serve_is_503_and_an_error(string failure, int status)
    {
        var logs = new ConcurrentQueue<(LogLevel Level, string Message)>();
        await using var app = await StartAsync(logs);
        using var client = app.GetTestClient();

        using var response = await client.GetAsync("/fail/" + failure);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var outage = status == StatusCodes.Status503ServiceUnavailable;
        Assert.Equal(outage, response.Headers.Contains("Retry-After"));
        Assert.Equal(outage, logs.Any(l => l.Level >= LogLevel.Error));
        // The database's message can quote the value; neither the answer nor the log repeats it.
        Assert.DoesNotContain("secret-value", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(logs, l => l.Message.Contains("secret-value", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_refusal_of_another_kind_is_not_called_an_outage()
    {
        var logs = new ConcurrentQueue<(LogLevel Level, string Message)>();
        await using var app = await StartAsync(logs);
        using var client = app.GetTestClient();

        using var response = await client.GetAsync("/fail/syntax-error");

        Assert.NotEqual(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.DoesNotContain(logs, l => l.Message.Contains("database is unavailable", StringComparison.OrdinalIgnoreCase));
    }

    private static Exception Raise(string failure) => failure switch
    {
        "connection-refused" => new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused)),
        "admin-shutdown" => Refusal(PostgresErrorCodes.AdminShutdown),
        "too-many-connections" => Refusal(PostgresErrorCodes.TooManyConnections),
        "database-gone" => Refusal(PostgresErrorCodes.InvalidCatalogName),
        "negative-offset" => Refusal(PostgresErrorCodes.InvalidRowCountInResultOffsetClause),
        "numeric-out-of-range" => Refusal(PostgresErrorCodes.NumericValueOutOfRange),
        "syntax-error" => Refusal(PostgresErrorCodes.SyntaxError),
        _ => new InvalidOperationException("unknown failure " + failure),
    };

    // EF wraps what Npgsql throws; the handler must look inside.
    private static InvalidOperationException Refusal(string sqlState) =>
        new("An exception has been raised that is likely due to a transient failure.",
            new PostgresException("refused secret-value", "ERROR", "ERROR", sqlState));

    private static async Task<WebApplication> StartAsync(ConcurrentQueue<(LogLevel, string)> logs)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new Recorder(logs));
        builder.Services.AddPlatformProblemDetails();
        var app = builder.Build();
        app.UseExceptionHandler();
        app.MapGet("/fail/{failure}", string (string failure) => throw Raise(failure));
        await app.StartAsync(TestTimeout.Token(30));
        return app;
    }

    private sealed class Recorder(ConcurrentQueue<(LogLevel, string)> logs) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(logs);

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentQueue<(LogLevel, string)> logs) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                logs.Enqueue((logLevel, formatter(state, exception) + " " + exception?.Message));
        }
    }
}
