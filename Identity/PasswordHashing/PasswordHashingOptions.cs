namespace Platform.Identity.PasswordHashing;

/// <summary>
/// Identity:PasswordHashing — how many password hashes (600 000-iteration PBKDF2, one per login, sign-up, password
/// change or reset) run at once, and how long one waits for its turn before the client is told to come back.
/// </summary>
public sealed class PasswordHashingOptions
{
    public const string Section = "Identity:PasswordHashing";

    public const int MaxMaxConcurrency = 1024;

    public const int MaxQueueLimit = 10_000;

    /// <summary>A client kept waiting longer is better told when to come back.</summary>
    public static readonly TimeSpan MaxMaxWait = TimeSpan.FromMinutes(1);

    /// <summary>Hashes running at once. Each takes a core for its whole run; more than the cores only starves other requests.</summary>
    public int MaxConcurrency { get; set; } = Environment.ProcessorCount;

    /// <summary>Hashes that may wait for a turn; beyond them a request is refused at once.</summary>
    public int QueueLimit { get; set; } = 64;

    /// <summary>How long a hash waits for a turn before its request gets 503 with <c>Retry-After</c>.</summary>
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromSeconds(2);
}

/// <summary>Refuses a gate that lets nothing through, queues without bound, or holds waiting threads for long.</summary>
internal sealed class PasswordHashingOptionsValidator : IValidateOptions<PasswordHashingOptions>
{
    public ValidateOptionsResult Validate(string? name, PasswordHashingOptions options)
    {
        var failures = new List<string>();
        if (options.MaxConcurrency is < 1 or > PasswordHashingOptions.MaxMaxConcurrency)
            failures.Add($"Identity:PasswordHashing:MaxConcurrency (Identity__PasswordHashing__MaxConcurrency) must be between 1 and {PasswordHashingOptions.MaxMaxConcurrency}.");
        if (options.QueueLimit is < 0 or > PasswordHashingOptions.MaxQueueLimit)
            failures.Add($"Identity:PasswordHashing:QueueLimit (Identity__PasswordHashing__QueueLimit) must be between 0 and {PasswordHashingOptions.MaxQueueLimit}.");
        if (options.MaxWait <= TimeSpan.Zero || options.MaxWait > PasswordHashingOptions.MaxMaxWait)
            failures.Add("Identity:PasswordHashing:MaxWait (Identity__PasswordHashing__MaxWait) must be more than 00:00:00 and at most 00:01:00.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
