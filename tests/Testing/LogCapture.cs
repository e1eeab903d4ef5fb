using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Platform.Testing;

/// <summary>
/// Everything an app logs and traces, as text a test can search for a secret: each log line's category, message,
/// structured values, scopes and exception, and every tag of every activity that stops while it listens. Add it as an
/// <see cref="ILoggerProvider"/> to the app under test; the activity side listens process-wide, so search it for a
/// value unique to the test (a token minted for it), not for something another test could also produce.
/// </summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly ActivityListener _activities;

    public LogCapture()
    {
        _activities = new ActivityListener
        {
            ShouldListenTo = _ => true,
            // Only observes: recording stays the decision of the app's own tracer provider.
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.None,
            ActivityStopped = activity => _lines.Enqueue($"activity {activity.OperationName} {activity.DisplayName} " +
                string.Join(' ', activity.TagObjects.Select(tag => $"{tag.Key}={tag.Value}"))),
        };
        ActivitySource.AddActivityListener(_activities);
    }

    public IReadOnlyList<string> Lines => [.. _lines];

    /// <summary>How many captured lines contain the value; the lines themselves stay out of assertion messages.</summary>
    public int CountContaining(string value) => _lines.Count(line => line.Contains(value, StringComparison.Ordinal));

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() => _activities.Dispose();

    private sealed class Logger(LogCapture owner, string category) : ILogger
    {
        // A linked list per async flow: a scope opened in one request never shows in another.
        private static readonly AsyncLocal<Scope?> Current = new();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull
        {
            var text = state is IEnumerable<KeyValuePair<string, object?>> values ? Describe(values) : state.ToString();
            Current.Value = new Scope(text, Current.Value);
            return Current.Value;
        }

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? Describe(pairs) : "";
            var scopes = new List<string?>();
            for (var scope = Current.Value; scope is not null; scope = scope.Parent)
                scopes.Add(scope.Text);
            owner._lines.Enqueue($"{logLevel} {category} {formatter(state, exception)} [{values}] [{string.Join(" | ", scopes)}] {exception}");
        }

        private static string Describe(IEnumerable<KeyValuePair<string, object?>> values) =>
            string.Join(", ", values.Select(pair => $"{pair.Key}={pair.Value}"));

        private sealed class Scope(string? text, Scope? parent) : IDisposable
        {
            public string? Text => text;

            public Scope? Parent => parent;

            public void Dispose() => Current.Value = parent;
        }
    }
}
