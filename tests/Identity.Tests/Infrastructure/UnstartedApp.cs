namespace Platform.Identity.Tests.Infrastructure;

/// <summary>
/// Identity on a fresh database that nothing has started yet, with no configured operator password: the test starts
/// it, and any further instance of it, itself.
/// </summary>
public sealed class UnstartedApp : IdentityApp
{
    protected override bool StartsOnInitialize => false;

    protected override void Configure(IWebHostBuilder builder) => builder.UseSetting("Identity:BootstrapAdmin:Password", "");
}
