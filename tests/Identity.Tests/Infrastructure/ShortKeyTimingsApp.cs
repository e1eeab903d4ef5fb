namespace Platform.Identity.Tests.Infrastructure;

/// <summary>Identity with short key timings, so the fake clock can walk a key through its whole life.</summary>
public sealed class ShortKeyTimingsApp : IdentityApp
{
    public static readonly TimeSpan Propagation = TimeSpan.FromMinutes(2);

    protected override void Configure(IWebHostBuilder builder)
    {
        builder.UseSetting("Identity:SigningKeys:JwksMaxAge", "00:01:00");
        builder.UseSetting("Identity:SigningKeys:PropagationTime", "00:02:00");
    }
}
