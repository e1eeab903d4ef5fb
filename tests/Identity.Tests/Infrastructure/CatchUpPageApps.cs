using System.Globalization;
using Platform.Identity.Revocation;

namespace Platform.Identity.Tests.Infrastructure;

/// <summary>Identity answering the catch-up in pages of seven entries, so a few dozen revocations make many pages.</summary>
public sealed class SmallCatchUpPageApp : IdentityApp
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await WaitUntilBusConsumesAsync();
    }

    public const int PageSize = 7;

    protected override void Configure(IWebHostBuilder builder) =>
        builder.UseSetting("Identity:CatchUp:PageSize", PageSize.ToString(CultureInfo.InvariantCulture));
}

/// <summary>Identity answering the catch-up in pages of the largest size its settings allow.</summary>
public sealed class LargestCatchUpPageApp : IdentityApp
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await WaitUntilBusConsumesAsync();
    }

    protected override void Configure(IWebHostBuilder builder) =>
        builder.UseSetting("Identity:CatchUp:PageSize", CatchUpOptions.MaxPageSize.ToString(CultureInfo.InvariantCulture));
}
