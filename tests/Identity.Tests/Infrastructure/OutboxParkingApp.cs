namespace Platform.Identity.Tests.Infrastructure;

/// <summary>Identity that parks an outbox row after three failed attempts.</summary>
public sealed class OutboxParkingApp : IdentityApp
{
    public const int MaxAttempts = 3;

    protected override void Configure(IWebHostBuilder builder) =>
        builder.UseSetting("Identity:Outbox:MaxAttempts", MaxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
