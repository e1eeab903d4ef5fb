namespace Platform.Identity.Tests.Infrastructure;

/// <summary>Identity with tiny rate limits and no configured operator password.</summary>
public sealed class StrictApp : IdentityApp
{
    protected override void Configure(IWebHostBuilder builder)
    {
        builder.UseSetting("Identity:RateLimit:PermitLimit", "3");
        builder.UseSetting("Identity:RateLimit:PasswordPermitLimit", "3");
        builder.UseSetting("Identity:RateLimit:Window", "00:10:00");
        builder.UseSetting("Identity:BootstrapAdmin:Password", "");
    }
}
