namespace Platform.Identity.Revocation;

/// <summary>How Identity pages its answer to a starting resource server's catch-up (section <c>Identity:CatchUp</c>).</summary>
public sealed class CatchUpOptions
{
    public const string Section = "Identity:CatchUp";

    /// <summary>
    /// The largest page. A page of this many entries is 30 000 × 24 bytes, 960 000 characters of base64, and the
    /// MassTransit envelope around it (ids, addresses, message types, host) stays under 4 KiB, so the message is at
    /// most about 964 KB: under 1 MiB, far under RabbitMQ 4's default 16 MiB limit.
    /// </summary>
    public const int MaxPageSize = 30_000;

    /// <summary>Entries (users and sessions) per catch-up page.</summary>
    public int PageSize { get; set; } = 20_000;
}

/// <summary>A page size out of range would either make pages too large for the broker or the catch-up pointlessly chatty.</summary>
internal sealed class CatchUpOptionsValidator : IValidateOptions<CatchUpOptions>
{
    public ValidateOptionsResult Validate(string? name, CatchUpOptions options) =>
        options.PageSize is >= 1 and <= CatchUpOptions.MaxPageSize
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"Identity:CatchUp:PageSize (Identity__CatchUp__PageSize) must be between 1 and {CatchUpOptions.MaxPageSize}, so every catch-up page stays under 1 MiB.");
}
