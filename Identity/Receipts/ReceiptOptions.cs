namespace Platform.Identity.Receipts;

/// <summary>Identity:Receipts — how long delivery receipts and gone instances are kept.</summary>
public sealed class ReceiptOptions
{
    public const string Section = "Identity:Receipts";

    /// <summary>
    /// Receipts older than this, and instances not heard from for this long, are deleted. The default matches how long
    /// sent outbox rows are kept, so a receipt outlives neither its event nor the instance that sent it.
    /// </summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);
}

/// <summary>Refuses a retention too short to answer an operator who looks a little after the event, or absurdly long.</summary>
internal sealed class ReceiptOptionsValidator : IValidateOptions<ReceiptOptions>
{
    public ValidateOptionsResult Validate(string? name, ReceiptOptions options) =>
        options.Retention < TimeSpan.FromHours(1) || options.Retention > TimeSpan.FromDays(90)
            ? ValidateOptionsResult.Fail("Identity:Receipts:Retention (Identity__Receipts__Retention) must be between 01:00:00 and 90.00:00:00.")
            : ValidateOptionsResult.Success;
}
