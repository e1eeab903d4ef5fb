namespace Platform.Identity.SharedSignals;

/// <summary>Identity:SharedSignals — how SETs are pushed to receivers, retried and given up on.</summary>
public sealed class SharedSignalsOptions
{
    public const string Section = "Identity:SharedSignals";

    /// <summary>
    /// Whether a push endpoint may be plain http. Only in Development: a SET is signed but not encrypted, and names users
    /// and sessions. Everywhere else endpoints must be https.
    /// </summary>
    public bool AllowHttpEndpoints { get; set; }

    /// <summary>Attempts per SET before it is given up on and counted in the stream's status.</summary>
    public int MaxAttempts { get; set; } = 10;

    /// <summary>The first retry's delay; each later one doubles, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long one push may take; a receiver slower than this is retried later.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>SETs one instance pushes to one stream at a time.</summary>
    public int MaxConcurrencyPerStream { get; set; } = 4;

    /// <summary>The most SETs one poll answers with (RFC 8936 §2.4 lets the transmitter bound <c>maxEvents</c>).</summary>
    public int MaxPollEvents { get; set; } = 100;

    /// <summary>How long a poll with <c>returnImmediately</c> false waits for a SET before answering with none.</summary>
    public TimeSpan LongPollTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Streams one client may have.</summary>
    public int MaxStreamsPerClient { get; set; } = 10;
}

internal sealed class SharedSignalsOptionsValidator(IHostEnvironment environment) : IValidateOptions<SharedSignalsOptions>
{
    public ValidateOptionsResult Validate(string? name, SharedSignalsOptions options)
    {
        var failures = new List<string>();
        if (options.AllowHttpEndpoints && !environment.IsDevelopment())
            failures.Add("Identity:SharedSignals:AllowHttpEndpoints may be true only in Development: receivers elsewhere must use https.");
        if (options.MaxAttempts is < 1 or > 100)
            failures.Add("Identity:SharedSignals:MaxAttempts must be between 1 and 100.");
        if (options.RetryDelay <= TimeSpan.Zero || options.MaxRetryDelay < options.RetryDelay)
            failures.Add("Identity:SharedSignals:RetryDelay must be positive and no longer than Identity:SharedSignals:MaxRetryDelay.");
        if (options.RequestTimeout <= TimeSpan.Zero || options.RequestTimeout > TimeSpan.FromMinutes(1))
            failures.Add("Identity:SharedSignals:RequestTimeout must be positive and at most 00:01:00.");
        if (options.MaxConcurrencyPerStream is < 1 or > 64)
            failures.Add("Identity:SharedSignals:MaxConcurrencyPerStream must be between 1 and 64.");
        if (options.MaxPollEvents is < 1 or > 1000)
            failures.Add("Identity:SharedSignals:MaxPollEvents must be between 1 and 1000.");
        if (options.LongPollTimeout < TimeSpan.Zero || options.LongPollTimeout > TimeSpan.FromMinutes(1))
            failures.Add("Identity:SharedSignals:LongPollTimeout must be between 00:00:00 and 00:01:00.");
        if (options.MaxStreamsPerClient is < 1 or > 1000)
            failures.Add("Identity:SharedSignals:MaxStreamsPerClient must be between 1 and 1000.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
